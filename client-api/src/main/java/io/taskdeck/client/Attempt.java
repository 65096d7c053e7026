package io.taskdeck.client;

import java.time.Instant;

/**
 * One attempt of a run.
 *
 * @param number     1-based attempt number
 * @param status     EXECUTING while running, then COMPLETED, FAILED, CRASHED, TIMED_OUT, CANCELED or SYSTEM_FAILURE
 * @param nodeId     the node that executed it, or null
 * @param finishedAt null while running
 * @param error      null unless it failed
 * @param retryAt    when the next attempt is scheduled after this one failed, or null
 */
public record Attempt(
        int number,
        RunStatus status,
        String nodeId,
        Instant startedAt,
        Instant finishedAt,
        RunError error,
        Instant retryAt) {
}
