package io.taskdeck.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Figures for a queue, a task, or everything, over a recent window.
 *
 * @param counts              runs per status right now
 * @param attemptsPerSecond   attempts that ended in the window, per second
 * @param completedPerMinute  successful attempts per minute, oldest minute first (the last entry is the current minute)
 * @param waitMs              how long attempts waited for a slot once due
 * @param executionMs         how long attempts ran
 */
public record RunStats(
        String scope,
        Instant at,
        Duration window,
        Map<RunStatus, Long> counts,
        double attemptsPerSecond,
        List<Long> completedPerMinute,
        Percentiles waitMs,
        Percentiles executionMs) {

    public RunStats {
        counts = Map.copyOf(counts);
        completedPerMinute = List.copyOf(completedPerMinute);
    }

    /** Runs due and not started: the backlog. */
    public long backlog() {
        return counts.getOrDefault(RunStatus.QUEUED, 0L);
    }
}
