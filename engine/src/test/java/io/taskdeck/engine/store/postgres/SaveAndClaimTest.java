package io.taskdeck.engine.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.ClaimRequest;
import io.taskdeck.engine.store.PostgresRunStore;
import io.taskdeck.engine.store.Transition;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** saveAndClaim is one transaction; when it fails, the finished attempts are still saved on their own. */
class SaveAndClaimTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aClaimThatFailsDoesNotLoseTheTransitionsSavedWithIt() {
        try (PostgresRunStore store = TestPostgres.freshStore()) {
            store.insert(List.of(Run.builder("run_a", "t", "q", T0).payload("{}").status(RunStatus.QUEUED)
                    .maxAttempts(1).build()), T0);
            Instant now = T0.plusSeconds(1);
            Run running = store.claim(new ClaimRequest("n1", Set.of("t"), 1, now, now.plusSeconds(30))).getFirst();
            Transition done = Transition.of(running.id(), RunStatus.COMPLETED, RunStatus.EXECUTING).heldBy("n1")
                    .atAttempt(1).output("null").closeAttempt(AttemptOutcome.SUCCEEDED).build();
            // PostgreSQL refuses a NUL in text: the claim part fails, in the combined transaction and alone.
            ClaimRequest refused = new ClaimRequest("n1", Set.of("t\u0000"), 1, now, now.plusSeconds(30));
            long seq = store.lastSeq();

            assertThatThrownBy(() -> store.saveAndClaim(List.of(done), now.plusSeconds(1), refused))
                    .isInstanceOf(PostgresStoreException.class);

            assertThat(store.find("run_a").orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(store.attempts("run_a")).singleElement()
                    .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED));
            assertThat(store.lastSeq()).isEqualTo(seq + 1);
        }
    }
}
