package io.taskdeck.engine;

import io.taskdeck.engine.store.RunStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Queue and task figures computed from the store: counts, throughput, wait and run time percentiles. */
public final class Stats {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    private static final int MAX_SAMPLES = 100_000;

    private final RunStore store;
    private final EngineClock clock;

    Stats(RunStore store, EngineClock clock) {
        this.store = store;
        this.clock = clock;
    }

    public RunStats queue(String name) {
        return compute("queue:" + name, name, null, DEFAULT_WINDOW);
    }

    public RunStats queue(String name, Duration window) {
        return compute("queue:" + name, name, null, window);
    }

    public RunStats task(String taskId) {
        return compute("task:" + taskId, null, taskId, DEFAULT_WINDOW);
    }

    public RunStats task(String taskId, Duration window) {
        return compute("task:" + taskId, null, taskId, window);
    }

    public RunStats all() {
        return compute("all", null, null, DEFAULT_WINDOW);
    }

    public RunStats all(Duration window) {
        return compute("all", null, null, window);
    }

    private RunStats compute(String scope, String queue, String taskId, Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("stats window must be > 0, got " + window);
        }
        Instant now = clock.now();
        Instant from = now.minus(window);
        List<Attempt> attempts = store.attemptsEndedBetween(from, now.plusMillis(1), queue, taskId, MAX_SAMPLES);
        long[] waits = new long[attempts.size()];
        long[] runs = new long[attempts.size()];
        int minutes = (int) Math.max(1, (window.toMillis() + 59_999) / 60_000);
        long[] perMinute = new long[minutes];
        long currentMinuteStart = now.toEpochMilli() / 60_000 * 60_000;
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            waits[i] = a.waitMs();
            runs[i] = a.durationMs();
            if (a.outcome() == AttemptOutcome.SUCCEEDED) {
                long minutesAgo = (currentMinuteStart - a.endedAt().toEpochMilli() / 60_000 * 60_000) / 60_000;
                if (minutesAgo >= 0 && minutesAgo < minutes) {
                    perMinute[minutes - 1 - (int) minutesAgo]++;
                }
            }
        }
        List<Long> series = new ArrayList<>(minutes);
        for (long n : perMinute) {
            series.add(n);
        }
        double perSecond = attempts.size() / (window.toMillis() / 1000.0);
        return new RunStats(scope, now, window, store.countByStatus(queue, taskId), perSecond, series,
                Percentiles.of(waits), Percentiles.of(runs));
    }
}
