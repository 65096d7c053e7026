package io.taskdeck.bench;

import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.engine.store.SqliteRunStore;
import io.taskdeck.engine.store.SqliteStoreOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Entry point of bench/run. Runs every benchmark (or those whose name starts with one of the
 * arguments) and prints one figure per line. {@code --quick} shrinks the workloads for a smoke run.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        List<String> only = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "--quick" -> quick = true;
                case "-h", "--help" -> {
                    System.out.println("usage: bench/run [--quick] [name-prefix...]");
                    System.out.println("  prefixes: memory.trigger memory.e2e memory.latency memory.heap jobrunr"
                            + " sqlite-normal sqlite-full postgres.e2e postgres.latency dbscheduler");
                    return;
                }
                default -> only.add(arg.toLowerCase(Locale.ROOT));
            }
        }
        Scale scale = quick ? Scale.QUICK : Scale.FULL;
        System.err.printf("# Taskdeck benchmarks (%s) on %d cores, Java %s, max heap %d MiB, collectors %s%n",
                scale, Runtime.getRuntime().availableProcessors(), Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20,
                java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(java.lang.management.GarbageCollectorMXBean::getName)
                        .collect(java.util.stream.Collectors.joining(", ")));

        EngineBench memory = new EngineBench("memory", MemoryRunStore::new, scale);
        double memoryE2e = 0;
        if (selected(only, "memory.trigger")) {
            memory.triggerThroughput();
        }
        if (selected(only, "memory.e2e")) {
            memoryE2e = memory.endToEndNoop();
        }
        if (selected(only, "memory.latency")) {
            memory.triggerToStartLatency();
        }
        if (selected(only, "memory.heap")) {
            memory.heapPerQueuedRun();
        }
        if (selected(only, "jobrunr")) {
            double peer = new JobRunrPeer(scale).endToEndNoop();
            if (memoryE2e > 0 && peer > 0) {
                Figures.print("ratio.memory.e2e.noop.taskdeck_over_jobrunr", memoryE2e / peer, "x");
            }
        }
        for (SqliteStoreOptions.Durability durability : SqliteStoreOptions.Durability.values()) {
            String name = "sqlite-" + durability.name().toLowerCase(Locale.ROOT);
            if (!selected(only, name)) {
                continue;
            }
            try (ScratchDir dir = new ScratchDir("taskdeck-bench-" + name)) {
                EngineBench sqlite = new EngineBench(name, () -> SqliteRunStore.open(SqliteStoreOptions
                        .builder(dir.next("bench.db")).durability(durability).build()), scale.durable());
                sqlite.triggerThroughput();
                double e2e = sqlite.endToEndNoop();
                sqlite.triggerToStartLatency();
                if (memoryE2e > 0) {
                    Figures.print("ratio." + name + ".e2e.noop_over_memory", e2e / memoryE2e, "x");
                }
            }
        }
        new PostgresBench(scale, name -> selected(only, name)).run();
    }

    private static boolean selected(List<String> only, String name) {
        return only.isEmpty() || only.stream().anyMatch(name::startsWith) || only.stream().anyMatch(p -> p.startsWith(name));
    }

    /** Workload sizes. */
    enum Scale {
        FULL(1_000_000, 400_000, 5, 1_000_000, 100_000),
        QUICK(50_000, 50_000, 1, 100_000, 10_000),
        /** A durable store's workloads: disk-bound, so a tenth of the in-memory sizes. */
        DURABLE(100_000, 40_000, 3, 100_000, 10_000),
        DURABLE_QUICK(20_000, 10_000, 1, 20_000, 2_000);

        final int triggers;
        final int e2eRuns;
        final int latencySeconds;
        final int heapRuns;
        final int peerRuns;

        Scale(int triggers, int e2eRuns, int latencySeconds, int heapRuns, int peerRuns) {
            this.triggers = triggers;
            this.e2eRuns = e2eRuns;
            this.latencySeconds = latencySeconds;
            this.heapRuns = heapRuns;
            this.peerRuns = peerRuns;
        }

        Scale durable() {
            return this == QUICK || this == DURABLE_QUICK ? DURABLE_QUICK : DURABLE;
        }
    }
}
