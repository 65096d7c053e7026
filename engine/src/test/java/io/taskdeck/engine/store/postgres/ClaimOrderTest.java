package io.taskdeck.engine.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.ClaimRequest;
import io.taskdeck.engine.store.PostgresRunStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How one claim shares a node's free slots among queues: round robin, oldest queue first, within each queue's limit. */
class ClaimOrderTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static Run run(String id, String queue, int n) {
        return Run.builder(id, "t", queue, T0.plusMillis(n)).payload("{}").status(RunStatus.QUEUED).maxAttempts(1).build();
    }

    private static List<String> claim(PostgresRunStore store, int max) {
        Instant now = T0.plusSeconds(1);
        return store.claim(new ClaimRequest("n1", Set.of("t"), max, now, now.plusSeconds(30))).stream().map(Run::id).toList();
    }

    @Test
    void aClaimTakesOneRunOfEachQueueInTurnAndNoMoreThanAQueueHasFree() {
        try (PostgresRunStore store = TestPostgres.freshStore()) {
            store.ensureQueue("old", 10, 1, T0);
            store.ensureQueue("new", 10, 1, T0);
            store.ensureQueue("full", 2, 1, T0);
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                runs.add(run("new_" + i, "new", i));
                runs.add(run("old_" + i, "old", i));
                runs.add(run("full_" + i, "full", i));
            }
            store.insert(runs, T0);
            assertThat(claim(store, 1)).containsExactly("old_0");

            assertThat(claim(store, 7)).containsExactly("old_1", "new_0", "full_0", "old_2", "new_1", "full_1", "new_2");
            assertThat(claim(store, 5)).as("full_2 waits for a slot of its queue").isEmpty();
        }
    }
}
