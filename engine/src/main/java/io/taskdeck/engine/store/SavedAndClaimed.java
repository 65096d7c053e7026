package io.taskdeck.engine.store;

import io.taskdeck.engine.Run;

import java.util.List;
import java.util.Objects;

/** What {@link RunStore#saveAndClaim} did: the transitions' results in order, then the runs claimed. */
public record SavedAndClaimed(List<TransitionResult> applied, List<Run> claimed) {

    public SavedAndClaimed {
        applied = List.copyOf(Objects.requireNonNull(applied, "applied"));
        claimed = List.copyOf(Objects.requireNonNull(claimed, "claimed"));
    }
}
