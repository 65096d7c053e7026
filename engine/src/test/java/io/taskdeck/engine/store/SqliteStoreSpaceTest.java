package io.taskdeck.engine.store;

import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.DeadLetterState;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A full disk, retention, and the file's size under steady load. */
class SqliteStoreSpaceTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final String BIG = "\"" + "x".repeat(8_000) + "\"";

    @TempDir
    Path dir;

    private int sequence;

    private Run.Builder run() {
        int n = ++sequence;
        return Run.builder(String.format("run_%08d", n), "t1", "q", T0.plusMillis(n)).maxAttempts(1);
    }

    private static StoreException fillUntilFull(SqliteRunStore store, List<Run> written) {
        for (int i = 0; i < 10_000; i++) {
            Run r = Run.builder(String.format("big_%06d", i), "t1", "q", T0).payload(BIG).build();
            try {
                store.insert(List.of(r), T0);
                written.add(r);
            } catch (StoreException e) {
                return e;
            }
        }
        throw new AssertionError("the store never filled up");
    }

    @Test
    void aFullStoreFailsTriggersClearlyKeepsRunningAndRecoversWhenSpaceIsFreed() {
        Path file = dir.resolve("small.db");
        SqliteStoreOptions options = SqliteStoreOptions.builder(file).maxSizeBytes(1_000_000)
                .retention(Duration.ofHours(1)).clock(() -> T0).build();
        try (SqliteRunStore store = SqliteRunStore.open(options)) {
            store.ensureQueue("q", 1000, 1, T0);
            List<Run> finished = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                finished.add(run().payload(BIG).build());
            }
            store.insert(finished, T0);
            List<Run> claimed = store.claim(new ClaimRequest("n", Set.of("t1"), 1000, T0, T0.plusSeconds(30)));
            store.apply(claimed.stream().map(r -> Transition.of(r.id(), RunStatus.COMPLETED, RunStatus.EXECUTING)
                    .closeAttempt(AttemptOutcome.SUCCEEDED).build()).toList(), T0.plusSeconds(1));

            List<Run> written = new ArrayList<>();
            StoreException full = fillUntilFull(store, written);

            assertThat(full).hasMessageContaining(file.toAbsolutePath().toString()).hasMessageContaining("disk is full");
            assertThat(written).hasSizeGreaterThan(10);
            long seq = store.lastSeq();
            // Nothing of the failed trigger was kept, and reads go on.
            assertThat(store.list(RunQuery.builder().limit(1000).build()).runs()).hasSize(written.size() + finished.size());
            assertThat(store.readJournal(0, 100_000)).hasSize((int) seq);
            assertThatThrownBy(() -> store.insert(List.of(run().payload(BIG).build()), T0))
                    .isInstanceOf(StoreException.class);

            // Space returns: the finished runs age out of the retention and are pruned.
            assertThat(store.prune(T0.plusSeconds(7200)).runs()).isEqualTo(finished.size());

            Run after = run().payload(BIG).build();
            assertThat(store.insert(List.of(after), T0.plusSeconds(7200)).getFirst().cached()).isFalse();
            assertThat(store.find(after.id())).isPresent();
            assertThat(store.lastSeq()).isGreaterThan(seq);
            // The triggers that failed for lack of space left nothing to claim behind them.
            List<String> expected = new ArrayList<>(written.stream().map(Run::id).toList());
            expected.add(after.id());
            assertThat(store.claim(new ClaimRequest("n", Set.of("t1"), 100_000, T0.plusSeconds(7200), T0.plusSeconds(7230)))
                    .stream().map(Run::id).toList()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void aRealFullDiskFailsTriggersAndRecoversWhenSpaceReturns() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("tmpfs"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount.toString()),
                "mounting a small tmpfs needs root; the maxSizeBytes test covers the same path");
        try {
            Path file = mount.resolve("local.db");
            try (SqliteRunStore store = SqliteRunStore.open(file)) {
                store.ensureQueue("q", 10, 1, T0);
                Path ballast = mount.resolve("ballast");
                Files.write(ballast, new byte[1_500_000]);
                List<Run> written = new ArrayList<>();
                StoreException full = fillUntilFull(store, written);
                assertThat(full).hasMessageContaining(file.toString());
                assertThat(full.getMessage()).containsAnyOf("full", "I/O error");

                Files.delete(ballast);
                Run after = run().build();
                store.insert(List.of(after), T0);
                assertThat(store.find(after.id())).isPresent();
                assertThat(store.find(written.getLast().id())).isPresent();
            }
            try (SqliteRunStore reopened = SqliteRunStore.open(file)) {
                assertThat(reopened.countByStatus(null, null).get(RunStatus.QUEUED)).isGreaterThan(10);
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void pruningRemovesOldFinishedRunsAndJournalButKeepsOpenDeadLettersAndPendingRuns() {
        SqliteStoreOptions options = SqliteStoreOptions.builder(dir.resolve("r.db")).retention(Duration.ofDays(1))
                .clock(() -> T0).build();
        try (SqliteRunStore store = SqliteRunStore.open(options)) {
            store.ensureQueue("q", 10, 1, T0);
            Run done = store.insert(List.of(run().idempotencyKey("k").build()), T0).getFirst().run();
            Run failed = store.insert(List.of(run().build()), T0).getFirst().run();
            Run pending = store.insert(List.of(run().build()), T0).getFirst().run();
            List<Run> claimed = store.claim(new ClaimRequest("n", Set.of("t1"), 2, T0, T0.plusSeconds(30)));
            assertThat(claimed).extracting(Run::id).containsExactly(done.id(), failed.id());
            store.apply(List.of(
                    Transition.of(done.id(), RunStatus.COMPLETED, RunStatus.EXECUTING).closeAttempt(AttemptOutcome.SUCCEEDED).build(),
                    Transition.of(failed.id(), RunStatus.FAILED, RunStatus.EXECUTING).error(RunError.of("E", "e"))
                            .closeAttempt(AttemptOutcome.FAILED).build()), T0.plusSeconds(1));
            long lastSeq = store.lastSeq();

            assertThat(store.prune(T0.plusSeconds(3600)).runs()).isZero();
            SqliteRunStore.Pruned pruned = store.prune(T0.plus(Duration.ofDays(2)));

            assertThat(pruned.runs()).isEqualTo(1);
            assertThat(store.find(done.id())).isEmpty();
            assertThat(store.attempts(done.id())).isEmpty();
            assertThat(store.find(failed.id()).orElseThrow().deadLetter()).isEqualTo(DeadLetterState.OPEN);
            assertThat(store.find(pending.id())).isPresent();
            assertThat(store.countByStatus(null, null).get(RunStatus.COMPLETED)).isZero();
            assertThat(store.countByStatus(null, null).get(RunStatus.FAILED)).isEqualTo(1);
            // The key of a pruned run is gone with it.
            assertThat(store.insert(List.of(run().idempotencyKey("k").build()), T0.plus(Duration.ofDays(2)))
                    .getFirst().cached()).isFalse();
            // The journal keeps its numbering: old events are gone, the sequence goes on.
            assertThat(pruned.journalEvents()).isEqualTo((int) lastSeq - 1);
            assertThat(store.oldestSeq()).isEqualTo(lastSeq);
            assertThat(store.lastSeq()).isEqualTo(lastSeq + 1);
        }
    }

    @Test
    void theFileDoesNotGrowWithoutBoundUnderSteadyLoad() throws Exception {
        Path file = dir.resolve("steady.db");
        Instant[] now = {T0};
        SqliteStoreOptions options = SqliteStoreOptions.builder(file).retention(Duration.ofMinutes(10))
                .clock(() -> now[0]).build();
        steadyRounds(options, now, 0, 7);
        // Closing checkpoints the WAL into the file, so its size is the data's.
        long warm = Files.size(file);
        steadyRounds(options, now, 7, 20);
        // 13 more rounds of 200 runs each wrote ~1.3 MB of payload; the file stays near its warm size.
        assertThat(Files.size(file)).isLessThan(warm + warm / 2);
    }

    private static void steadyRounds(SqliteStoreOptions options, Instant[] now, int from, int to) {
        try (SqliteRunStore store = SqliteRunStore.open(options)) {
            store.ensureQueue("q", 1000, 1, T0);
            for (int round = from; round < to; round++) {
                now[0] = T0.plus(Duration.ofMinutes(5L * round));
                List<Run> batch = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    batch.add(Run.builder(String.format("run_%03d_%04d", round, i), "t1", "q", now[0])
                            .payload("{\"pad\":\"" + "p".repeat(500) + "\"}").build());
                }
                store.insert(batch, now[0]);
                List<Run> claimed = store.claim(new ClaimRequest("n", Set.of("t1"), 1000, now[0], now[0].plusSeconds(30)));
                store.apply(claimed.stream().map(r -> Transition.of(r.id(), RunStatus.COMPLETED, RunStatus.EXECUTING)
                        .output("{}").closeAttempt(AttemptOutcome.SUCCEEDED).build()).toList(), now[0]);
                store.prune(now[0]);
            }
            // Retention keeps the last 10 minutes: three rounds at most.
            assertThat(store.countByStatus(null, null).get(RunStatus.COMPLETED)).isLessThanOrEqualTo(600);
        }
    }
}
