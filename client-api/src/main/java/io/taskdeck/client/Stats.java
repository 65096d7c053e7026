package io.taskdeck.client;

import java.time.Instant;
import java.util.Map;

/**
 * Server-wide figures for the status bar and dashboards.
 *
 * @param at                  when they were computed
 * @param lastSeq             seq of the newest journal event (0 when the journal is empty): subscribe after it
 *                            to see only what happens next
 * @param runsByStatus        current number of runs per status (statuses with none may be absent)
 * @param backlog             QUEUED runs across all queues
 * @param executing           EXECUTING runs across all queues
 * @param triggeredPerSecond  over the last minute
 * @param completedPerSecond  over the last minute
 * @param failedPerSecond     runs ending in a failure status per second, over the last minute
 * @param deadLetters         unresolved dead-letter runs
 */
public record Stats(
        Instant at,
        long lastSeq,
        Map<RunStatus, Long> runsByStatus,
        long backlog,
        long executing,
        double triggeredPerSecond,
        double completedPerSecond,
        double failedPerSecond,
        long deadLetters) {

    public Stats {
        runsByStatus = runsByStatus == null ? Map.of() : Map.copyOf(runsByStatus);
    }
}
