package io.taskdeck.engine;

import java.util.List;

/** Receives journal events in sequence order, history first, then live. */
@FunctionalInterface
public interface JournalListener {

    /** A batch of consecutive events (no gap, no duplicate). */
    void onEvents(List<JournalEvent> events);

    /**
     * The subscriber fell behind the journal's retention: events after its position are gone.
     * The subscription ends; reload state and subscribe again from {@code oldestSeq - 1} or later.
     */
    default void onResyncRequired(long oldestSeq) {
    }
}
