package io.taskdeck.examples;

import io.taskdeck.engine.BatchItem;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.EngineClock;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Triggers a weighted {@link TaskMix} at the rates of a {@link LoadProfile}, paced by a clock:
 * at every wake-up it sends exactly the triggers due by then (as batches of at most
 * {@code maxBatchSize}, so high rates go through batch trigger), then sleeps until the next one
 * is due. When the sink is slower than the profile the generator falls behind and catches up in
 * full batches; the report's achieved rate says how it went.
 *
 * <pre>{@code
 * LoadReport report = LoadGenerator.builder()
 *         .sink(LoadGenerator.engineSink(engine))
 *         .clock(engine.clock())
 *         .mix(TaskMix.demo())
 *         .profile(LoadProfile.spike(10_000, Duration.ofSeconds(5)))
 *         .build()
 *         .run();
 * }</pre>
 */
public final class LoadGenerator {

    /** Where triggers go: an engine, or a remote server through its client. */
    @FunctionalInterface
    public interface Sink {
        /** Triggers every item (atomically when it can); throws when they were not accepted. */
        void trigger(List<BatchItem> items) throws Exception;
    }

    /** Progress while running. */
    public record Progress(long triggered, long failed, long due, long total) {
    }

    /**
     * What a load run did.
     *
     * @param triggered    items the sink accepted
     * @param failed       items in batches the sink refused
     * @param elapsed      clock time from start to the last trigger (or to the stop)
     * @param achievedRate triggered per second of {@code elapsed}
     * @param perTask      accepted items per task id
     * @param lastError    the last refusal's message, null when none
     */
    public record LoadReport(long triggered, long failed, long planned, long batches, Duration elapsed,
                             double achievedRate, Map<String, Long> perTask, boolean stopped, String lastError) {
        public LoadReport {
            perTask = Map.copyOf(perTask);
        }
    }

    private final Sink sink;
    private final EngineClock clock;
    private final TaskMix mix;
    private final LoadProfile profile;
    private final int maxBatchSize;
    private final Duration minTick;

    private LoadGenerator(Builder b) {
        this.sink = Objects.requireNonNull(b.sink, "a load generator needs a sink: builder().sink(...)");
        this.mix = Objects.requireNonNull(b.mix, "a load generator needs a task mix: builder().mix(...)");
        this.profile = Objects.requireNonNull(b.profile, "a load generator needs a profile: builder().profile(...)");
        this.clock = b.clock;
        this.maxBatchSize = b.maxBatchSize;
        this.minTick = b.minTick;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Triggers into an engine: one item with {@code trigger}, more with one atomic {@code batchTrigger}. */
    public static Sink engineSink(Engine engine) {
        return items -> {
            if (items.size() == 1) {
                BatchItem item = items.getFirst();
                engine.trigger(item.taskId(), item.payload(), item.options());
            } else {
                engine.batchTrigger(items);
            }
        };
    }

    /** Runs on the calling thread until the profile is done, and reports. */
    public LoadReport run() throws InterruptedException {
        return new LoadRun(clock.millis()).execute();
    }

    /** Runs on a thread of its own; the handle can stop it and wait for its report. */
    public LoadRun start() {
        // the start instant is read here, so a clock moved after start() returns counts for the run
        LoadRun run = new LoadRun(clock.millis());
        run.thread = Thread.ofPlatform().daemon().name("taskdeck-load").start(() -> {
            try {
                run.result.complete(run.execute());
            } catch (InterruptedException e) {
                run.result.complete(run.report(true));
            } catch (Throwable t) {
                run.result.completeExceptionally(t);
            }
        });
        return run;
    }

    /** One execution of the generator. */
    public final class LoadRun {
        private final CompletableFuture<LoadReport> result = new CompletableFuture<>();
        private final AtomicLong triggered = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong due = new AtomicLong();
        private final Map<String, Long> perTask = new TreeMap<>();
        private volatile boolean stopRequested;
        private volatile Thread thread;
        private volatile String lastError;
        private long batches;
        private final long startMs;
        private long endMs;

        private LoadRun(long startMs) {
            this.startMs = startMs;
            this.endMs = startMs;
        }

        private LoadReport execute() throws InterruptedException {
            TaskMix.Cursor cursor = mix.cursor();
            long total = profile.totalTriggers();
            long sent = 0;
            while (!stopRequested) {
                long now = clock.millis();
                long dueNow = profile.dueAt(now - startMs);
                due.set(dueNow);
                while (sent < dueNow && !stopRequested) {
                    int n = (int) Math.min(maxBatchSize, dueNow - sent);
                    send(cursor.next(n));
                    sent += n;
                    endMs = clock.millis();
                }
                if (sent >= total) {
                    break;
                }
                long nextDue = startMs + profile.elapsedWhenDue(sent + 1);
                try {
                    // at high rates, wait at least a tick so that each wake-up sends a batch
                    clock.sleepUntil(Math.max(nextDue, now + minTick.toMillis()));
                } catch (InterruptedException e) {
                    if (!stopRequested) {
                        throw e;
                    }
                }
            }
            if (stopRequested) {
                endMs = clock.millis();
            }
            return report(stopRequested);
        }

        private void send(List<BatchItem> items) {
            batches++;
            try {
                sink.trigger(items);
                triggered.addAndGet(items.size());
                synchronized (perTask) {
                    for (BatchItem item : items) {
                        perTask.merge(item.taskId(), 1L, Long::sum);
                    }
                }
            } catch (Exception e) {
                failed.addAndGet(items.size());
                lastError = e.getMessage() == null ? e.toString() : e.getMessage();
            }
        }

        private LoadReport report(boolean stopped) {
            long elapsedMs = Math.max(0, endMs - startMs);
            long ok = triggered.get();
            double rate = elapsedMs == 0 ? (ok == 0 ? 0 : Double.POSITIVE_INFINITY) : ok * 1000.0 / elapsedMs;
            Map<String, Long> tasks;
            synchronized (perTask) {
                tasks = Map.copyOf(perTask);
            }
            return new LoadReport(ok, failed.get(), profile.totalTriggers(), batches, Duration.ofMillis(elapsedMs),
                    rate, tasks, stopped, lastError);
        }

        public Progress progress() {
            return new Progress(triggered.get(), failed.get(), due.get(), profile.totalTriggers());
        }

        /** Asks the run to stop after the batch in hand; {@link #await} then returns its report. */
        public void stop() {
            stopRequested = true;
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }

        public CompletableFuture<LoadReport> result() {
            return result;
        }

        public LoadReport await() throws InterruptedException {
            try {
                return result.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("load run failed: " + e.getCause(), e.getCause());
            }
        }

        /** Waits at most {@code timeout} for the report. */
        public LoadReport await(Duration timeout) throws InterruptedException, java.util.concurrent.TimeoutException {
            try {
                return result.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("load run failed: " + e.getCause(), e.getCause());
            }
        }
    }

    public static final class Builder {
        private Sink sink;
        private EngineClock clock = EngineClock.system();
        private TaskMix mix;
        private LoadProfile profile;
        private int maxBatchSize = 500;
        private Duration minTick = Duration.ofMillis(10);

        private Builder() {
        }

        public Builder sink(Sink value) { sink = value; return this; }
        public Builder engine(Engine engine) { sink = engineSink(engine); clock = engine.clock(); return this; }
        /** The clock that paces triggers (default: the wall clock). */
        public Builder clock(EngineClock value) { clock = Objects.requireNonNull(value, "clock"); return this; }
        public Builder mix(TaskMix value) { mix = value; return this; }
        public Builder profile(LoadProfile value) { profile = value; return this; }

        /** The most items per trigger call (default 500, Trigger.dev's batch limit). */
        public Builder maxBatchSize(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + value);
            }
            maxBatchSize = value;
            return this;
        }

        /** The shortest sleep between sends at high rates (default 10 ms), which sets the batch size. */
        public Builder minTick(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("minTick must be >= 0, got " + value);
            }
            minTick = value;
            return this;
        }

        public LoadGenerator build() {
            return new LoadGenerator(this);
        }
    }
}
