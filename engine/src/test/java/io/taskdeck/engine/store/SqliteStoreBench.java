package io.taskdeck.engine.store;

import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Store throughput, not a test: excluded from the build by its tag. Run with
 * {@code ./mvnw -pl engine test -Dtest=SqliteStoreBench -Dsurefire.excludedGroups= -Dgroups=bench}.
 * Triggers come from several threads one run at a time (group commit merges them); one worker
 * claims and completes in batches, as the engine does.
 */
@Tag("bench")
class SqliteStoreBench {

    @TempDir
    Path dir;

    @Test
    void noOpRunsEndToEnd() throws Exception {
        for (SqliteStoreOptions.Durability d : SqliteStoreOptions.Durability.values()) {
            measure(d, 4, 1, 50_000);
            measure(d, 4, 50, 200_000);
            phases(d, 200_000);
        }
    }

    /** Through the Engine: triggers from 4 threads, one at a time, a no-op task, until all completed. */
    @Test
    void engineEndToEnd() throws Exception {
        engineEndToEnd("sqlite", SqliteRunStore.open(dir.resolve("engine.db")));
        if (!Boolean.getBoolean("bench.sqliteOnly")) {
            engineEndToEnd("memory (for comparison)", new MemoryRunStore());
        }
    }

    private void engineEndToEnd(String name, RunStore opened) throws Exception {
        int total = 50_000;
        try (RunStore store = opened) {
            io.taskdeck.engine.Engine engine = io.taskdeck.engine.Engine.builder().store(store).nodeId("bench").build();
            engine.register(io.taskdeck.engine.TaskDefinition.builder("noop", Integer.class)
                    .queue(io.taskdeck.engine.QueueOptions.of("bench", 1000)).handler((n, ctx) -> null).build());
            engine.start();
            AtomicInteger next = new AtomicInteger();
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                producers.add(Thread.ofPlatform().start(() -> {
                    for (int n; (n = next.getAndIncrement()) < total; ) {
                        engine.trigger("noop", n);
                    }
                }));
            }
            for (Thread t : producers) {
                t.join();
            }
            long triggeredNs = System.nanoTime() - t0;
            while (store.countByStatus(null, null).get(RunStatus.COMPLETED) < total) {
                Thread.sleep(5);
            }
            long ns = System.nanoTime() - t0;
            double cpuSeconds = (cpuNanos() - cpu0) / 1e9;
            engine.stop(java.time.Duration.ofSeconds(5));
            System.out.printf("BENCH " + name + " engine end to end: %d no-op runs, 4 trigger threads: triggers %.0f/s, "
                            + "all completed at %.0f runs/s wall, %.0f runs per CPU-second (load average %.1f)%n",
                    total, total * 1e9 / triggeredNs, total * 1e9 / ns, total / cpuSeconds,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    @Test
    void phases() {
        phases(SqliteStoreOptions.Durability.NORMAL, 200_000);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Inserts everything first, then claims and completes everything: where does the time go. */
    private void phases(SqliteStoreOptions.Durability durability, int total) {
        try (SqliteRunStore store = SqliteRunStore.open(SqliteStoreOptions.builder(dir.resolve(durability + "-phases.db"))
                .durability(durability).build())) {
            store.ensureQueue("q", 10_000, 1, Instant.now());
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            for (int first = 0; first < total; first += 1000) {
                Instant now = Instant.now();
                List<Run> batch = new ArrayList<>(1000);
                for (int i = first; i < first + 1000; i++) {
                    batch.add(Run.builder(String.format("run_%09d", i), "t1", "q", now).payload("{}").build());
                }
                store.insert(batch, now);
            }
            long t1 = System.nanoTime();
            long claimNs = 0;
            for (int done = 0; done < total; ) {
                Instant now = Instant.now();
                long c0 = System.nanoTime();
                List<Run> claimed = store.claim(new ClaimRequest("n", Set.of("t1"), 2048, now, now.plusSeconds(30)));
                claimNs += System.nanoTime() - c0;
                List<Transition> complete = new ArrayList<>(claimed.size());
                for (Run r : claimed) {
                    complete.add(Transition.of(r.id(), RunStatus.COMPLETED, RunStatus.EXECUTING).heldBy("n")
                            .atAttempt(r.attempts()).output("null").closeAttempt(AttemptOutcome.SUCCEEDED).build());
                }
                store.apply(complete, Instant.now());
                done += claimed.size();
            }
            long t2 = System.nanoTime();
            double cpuSeconds = (cpuNanos() - cpu0) / 1e9;
            System.out.printf("BENCH sqlite %s phases: insert %.0f runs/s; claim %.0f runs/s; complete %.0f runs/s; "
                            + "overall %.0f runs/s wall, %.0f runs per CPU-second (load average %.1f)%n",
                    durability, total * 1e9 / (t1 - t0), total * 1e9 / claimNs, total * 1e9 / (t2 - t1 - claimNs),
                    total * 1e9 / (t2 - t0), total / cpuSeconds,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private void measure(SqliteStoreOptions.Durability durability, int producers, int perTrigger, int total) throws Exception {
        Path file = dir.resolve(durability + "-" + perTrigger + ".db");
        try (SqliteRunStore store = SqliteRunStore.open(SqliteStoreOptions.builder(file).durability(durability).build())) {
            store.ensureQueue("q", 10_000, 1, Instant.now());
            AtomicInteger ids = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    while (true) {
                        int first = ids.getAndAdd(perTrigger);
                        if (first >= total) {
                            return;
                        }
                        Instant now = Instant.now();
                        List<Run> batch = new ArrayList<>(perTrigger);
                        for (int i = first; i < Math.min(total, first + perTrigger); i++) {
                            batch.add(Run.builder(String.format("run_%09d", i), "t1", "q", now).payload("{}").build());
                        }
                        store.insert(batch, now);
                    }
                }));
            }
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            start.countDown();
            int done = 0;
            while (done < total) {
                Instant now = Instant.now();
                List<Run> claimed = store.claim(new ClaimRequest("n", Set.of("t1"), 2048, now, now.plusSeconds(30)));
                if (claimed.isEmpty()) {
                    Thread.onSpinWait();
                    continue;
                }
                List<Transition> complete = new ArrayList<>(claimed.size());
                for (Run r : claimed) {
                    complete.add(Transition.of(r.id(), RunStatus.COMPLETED, RunStatus.EXECUTING).heldBy("n")
                            .atAttempt(r.attempts()).output("null").closeAttempt(AttemptOutcome.SUCCEEDED).build());
                }
                store.apply(complete, Instant.now());
                done += claimed.size();
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            for (Thread t : threads) {
                t.join();
            }
            double cpuSeconds = (cpuNanos() - cpu0) / 1e9;
            System.out.printf("BENCH sqlite %s: %d runs, %d producer threads x %d runs per insert: %d ms, %.0f runs/s wall, "
                            + "%.0f runs per CPU-second (load average %.1f)%n",
                    durability, total, producers, perTrigger, ms, total * 1000.0 / ms, total / cpuSeconds,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
