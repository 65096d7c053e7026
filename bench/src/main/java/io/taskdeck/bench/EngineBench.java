package io.taskdeck.bench;

import io.taskdeck.engine.BatchItem;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.JournalListener;
import io.taskdeck.engine.JournalSubscription;
import io.taskdeck.engine.QueueOptions;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.TaskHandler;
import io.taskdeck.engine.store.RunStore;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The engine on one kind of store: trigger throughput, end to end, latency, heap. Figures are
 * named {@code <store>.<figure>}, e.g. {@code memory.e2e.noop} or {@code sqlite-normal.e2e.noop}.
 */
final class EngineBench {

    /** The no-op payload: when it was triggered, for latency. */
    record Tick(long nanos) {
    }

    private static final String TASK = "noop";
    private static final String QUEUE = "bench";
    private static final int CONCURRENCY = 100;
    private static final int BATCH = 1_000;
    static final int WARM_UP_ROUNDS = 3;
    static final int MEASURED_ROUNDS = 5;

    private final String store;
    private final Supplier<RunStore> stores;
    private final Bench.Scale scale;

    /**
     * @param store  the figures' prefix
     * @param stores a fresh, empty store per measurement
     */
    EngineBench(String store, Supplier<RunStore> stores, Bench.Scale scale) {
        this.store = store;
        this.stores = stores;
        this.scale = scale;
    }

    /** An engine over a fresh store; closing it stops the engine, then closes the store. */
    private final class Subject implements AutoCloseable {
        final RunStore runStore = stores.get();
        final Engine engine;

        Subject(TaskHandler<Tick> handler) {
            engine = Engine.builder()
                    .store(runStore)
                    .nodeId("bench")
                    .maxConcurrentRuns(CONCURRENCY)
                    .build();
            engine.register(TaskDefinition.builder(TASK, Tick.class)
                    .queue(QueueOptions.of(QUEUE, CONCURRENCY))
                    .handler(handler)
                    .build());
            engine.start();
        }

        @Override
        public void close() {
            engine.close();
            runStore.close();
        }
    }

    private void print(String figure, double value, String unit) {
        Figures.print(store + "." + figure, value, unit);
    }

    private static List<BatchItem> batch(int size) {
        List<BatchItem> items = new ArrayList<>(size);
        Tick tick = new Tick(0);
        for (int i = 0; i < size; i++) {
            items.add(BatchItem.of(TASK, tick));
        }
        return items;
    }

    /** Triggers into a paused queue, so the figure is the trigger path alone. */
    void triggerThroughput() throws Exception {
        int n = scale.triggers;
        try (Subject subject = new Subject((p, ctx) -> null)) {
            Engine engine = subject.engine;
            engine.queues().pause(QUEUE);
            Tick tick = new Tick(0);
            warmUp(() -> engine.trigger(TASK, tick), 20_000);

            long start = System.nanoTime();
            for (int i = 0; i < n / 4; i++) {
                engine.trigger(TASK, tick);
            }
            print("trigger.single", Figures.perSecond(n / 4, System.nanoTime() - start), "runs/s");

            List<BatchItem> items = batch(BATCH);
            start = System.nanoTime();
            for (int i = 0; i < n / BATCH; i++) {
                engine.batchTrigger(items);
            }
            print("trigger.batch" + BATCH,
                    Figures.perSecond((long) (n / BATCH) * BATCH, System.nanoTime() - start), "runs/s");

            int producers = 4;
            int each = n / 4 / producers;
            CountDownLatch done = new CountDownLatch(producers);
            start = System.nanoTime();
            for (int p = 0; p < producers; p++) {
                Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) {
                        engine.trigger(TASK, tick);
                    }
                    done.countDown();
                });
            }
            done.await();
            print("trigger.4producers",
                    Figures.perSecond((long) each * producers, System.nanoTime() - start), "runs/s");
        }
    }

    /**
     * No-op runs completed per second end to end at concurrency 100: from the first trigger to
     * the last COMPLETED event in the journal, with one producer batch-triggering all of them.
     */
    double endToEndNoop() throws Exception {
        // Warm-up: three full-size rounds, so the figure is the compiled engine's and not the JIT's
        // (with a short warm-up C2 keeps recompiling the hot loops during the measured rounds).
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            usedHeapAfterGc();
            endToEndOnce(scale.e2eRuns);
        }
        List<Double> all = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> dispatcher = new ArrayList<>();
        List<Double> writer = new ArrayList<>();
        List<Double> checkpointer = new ArrayList<>();
        for (int round = 0; round < MEASURED_ROUNDS; round++) {
            // The previous round's store (its retained runs) is garbage now: collect it before the
            // round, outside its time and CPU, so each round pays for its own work only.
            usedHeapAfterGc();
            long cpuBefore = processCpuNanos();
            all.add(endToEndOnce(scale.e2eRuns));
            cpu.add((processCpuNanos() - cpuBefore) / (double) scale.e2eRuns);
            dispatcher.add(lastDispatcherCpuPerRun);
            writer.add(lastWriterCpuPerRun);
            checkpointer.add(lastCheckpointerCpuPerRun);
        }
        double median = Figures.medianOfRounds(store + ".e2e.noop", all);
        System.out.printf("# %s of which on the dispatcher thread (the serial part): %.2f us per run%n",
                Figures.named(store + ".e2e.noop"), Figures.median(dispatcher) / 1e3);
        if (writer.stream().anyMatch(v -> v > 0)) {
            System.out.printf("# %s of which on the SQLite writer thread (the store's serial part): %.2f us per run%n",
                    Figures.named(store + ".e2e.noop"), Figures.median(writer) / 1e3);
            System.out.printf("# %s and on its checkpointer thread (off the serial part): %.2f us per run%n",
                    Figures.named(store + ".e2e.noop"), Figures.median(checkpointer) / 1e3);
        }
        print("e2e.noop", median, "runs/s");
        // CPU time of the whole process per run (trigger, run, complete, journal): steadier than
        // runs/s on a machine shared with other work, and what bounds runs/s on an idle one.
        print("e2e.noop.cpu_per_run", Figures.median(cpu) / 1e3, "us");
        return median;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time per run of the engine's dispatcher thread in the last e2e round (the serial part). */
    private double lastDispatcherCpuPerRun;
    /** CPU time per run of the SQLite store's writer thread in the last e2e round (zero for other stores). */
    private double lastWriterCpuPerRun;
    /** CPU time per run of the SQLite store's checkpointer thread in the last e2e round (zero for other stores). */
    private double lastCheckpointerCpuPerRun;

    /** CPU time of the live threads whose name starts with {@code prefix}. */
    private static long threadCpuNanos(String prefix) {
        var threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                total += Math.max(0, threads.getThreadCpuTime(t.threadId()));
            }
        }
        return total;
    }

    private double endToEndOnce(int runs) throws Exception {
        try (Subject subject = new Subject((p, ctx) -> null)) {
            Engine engine = subject.engine;
            CompletionCounter completed = new CompletionCounter(runs);
            try (JournalSubscription ignored = engine.journal().subscribe(engine.journal().lastSeq(), completed)) {
                List<BatchItem> items = batch(BATCH);
                long start = System.nanoTime();
                for (int i = 0; i < runs / BATCH; i++) {
                    engine.batchTrigger(items);
                }
                if (!completed.await(Duration.ofMinutes(5))) {
                    throw new IllegalStateException("only " + completed.count() + " of " + runs + " runs completed in 5 minutes");
                }
                double perSecond = Figures.perSecond(runs, System.nanoTime() - start);
                lastDispatcherCpuPerRun = threadCpuNanos("taskdeck-dispatcher-") / (double) runs;
                lastWriterCpuPerRun = threadCpuNanos("taskdeck-sqlite-writer") / (double) runs;
                lastCheckpointerCpuPerRun = threadCpuNanos("taskdeck-sqlite-checkpointer") / (double) runs;
                return perSecond;
            }
        }
    }

    /** Trigger-to-start latency with triggers paced at 10,000 runs/s. */
    void triggerToStartLatency() throws Exception {
        int rate = 10_000;
        int runs = rate * scale.latencySeconds;
        // The first seconds measure the JIT, not the engine: pace as many unrecorded runs first.
        int warmUp = runs;
        long[] latencies = new long[runs];
        AtomicInteger recorded = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(warmUp + runs);
        try (Subject subject = new Subject((tick, ctx) -> {
            if (tick.nanos() != WARM_UP) {
                int i = recorded.getAndIncrement();
                if (i < latencies.length) {
                    latencies[i] = System.nanoTime() - tick.nanos();
                }
            }
            started.countDown();
            return null;
        })) {
            Engine engine = subject.engine;
            pace(rate, warmUp, () -> engine.trigger(TASK, new Tick(WARM_UP)));
            pace(rate, runs, () -> engine.trigger(TASK, new Tick(System.nanoTime())));
            if (!started.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("runs did not all start");
            }
        }
        int n = Math.min(recorded.get(), latencies.length);
        print("latency.trigger_to_start.p50", Figures.quantile(latencies, n, 0.50) / 1e3, "us");
        print("latency.trigger_to_start.p99", Figures.quantile(latencies, n, 0.99) / 1e3, "us");
    }

    /** A warm-up run's payload: not recorded. */
    private static final long WARM_UP = Long.MIN_VALUE;

    /** Calls {@code trigger} {@code count} times at {@code rate} per second, on schedule. */
    private static void pace(int rate, int count, Runnable trigger) {
        long interval = 1_000_000_000L / rate;
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = t0 + i * interval;
            long now;
            while ((now = System.nanoTime()) < due) {
                if (due - now > 50_000) {
                    LockSupport.parkNanos(due - now - 20_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            trigger.run();
        }
    }

    /** Heap bytes each queued (not yet started) run takes, with a paused queue holding them all. */
    void heapPerQueuedRun() throws Exception {
        int runs = scale.heapRuns;
        try (Subject subject = new Subject((p, ctx) -> null)) {
            Engine engine = subject.engine;
            engine.queues().pause(QUEUE);
            long before = usedHeapAfterGc();
            List<BatchItem> items = batch(BATCH);
            for (int i = 0; i < runs / BATCH; i++) {
                engine.batchTrigger(items);
            }
            long after = usedHeapAfterGc();
            print("heap.per_queued_run", (after - before) / (double) runs, "bytes");
            print("heap.queued_" + runs, (after - before) / (double) (1 << 20), "MiB");
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void warmUp(Runnable action, int times) {
        for (int i = 0; i < times; i++) {
            action.run();
        }
    }

    /** Counts COMPLETED transitions in the journal until the expected number is reached. */
    private static final class CompletionCounter implements JournalListener {
        private final int expected;
        private final AtomicLong count = new AtomicLong();
        private final CountDownLatch done = new CountDownLatch(1);

        CompletionCounter(int expected) {
            this.expected = expected;
        }

        @Override
        public void onEvents(List<JournalEvent> events) {
            long n = 0;
            for (JournalEvent e : events) {
                if (e.to() == RunStatus.COMPLETED) {
                    n++;
                }
            }
            if (count.addAndGet(n) >= expected) {
                done.countDown();
            }
        }

        @Override
        public void onResyncRequired(long oldestSeq) {
            throw new IllegalStateException("the benchmark's journal subscriber fell behind retention at " + oldestSeq);
        }

        boolean await(Duration timeout) throws InterruptedException {
            return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        long count() {
            return count.get();
        }
    }
}
