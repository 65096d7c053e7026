package io.taskdeck.engine;

import java.time.Instant;

/**
 * One attempt of a run.
 *
 * @param number   1 for the first attempt, counting over the run's whole history (requeues included)
 * @param waitMs   how long the run was due before this attempt started (queue wait or retry wait)
 * @param endedAt  null while the attempt runs
 * @param error    why it failed, when it did
 */
public record Attempt(
        String runId,
        int number,
        String taskId,
        String queue,
        String nodeId,
        long waitMs,
        Instant startedAt,
        Instant endedAt,
        AttemptOutcome outcome,
        RunError error) {

    public Attempt finish(Instant at, AttemptOutcome result, RunError failure) {
        return new Attempt(runId, number, taskId, queue, nodeId, waitMs, startedAt, at, result, failure);
    }

    /** Execution time in milliseconds, or -1 while running. */
    public long durationMs() {
        return endedAt == null ? -1 : Math.max(0, endedAt.toEpochMilli() - startedAt.toEpochMilli());
    }
}
