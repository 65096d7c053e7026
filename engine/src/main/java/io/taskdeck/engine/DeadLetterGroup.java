package io.taskdeck.engine;

import java.time.Instant;

/**
 * Open dead letters sharing one error fingerprint.
 *
 * @param sampleRunId the most recent run of the group
 */
public record DeadLetterGroup(
        String fingerprint,
        String taskId,
        String errorType,
        String sampleMessage,
        long count,
        Instant firstSeen,
        Instant lastSeen,
        String sampleRunId) {
}
