package io.taskdeck.client;

import java.time.Instant;
import java.util.Objects;

/**
 * Unresolved dead-letter runs sharing one error fingerprint (task + normalized error).
 *
 * @param fingerprint  opaque, URL-safe identifier of the group
 * @param count        unresolved runs in the group
 * @param sampleError  the error of the most recent run in the group
 * @param sampleRunId  that run's id
 */
public record DeadLetterGroup(
        String fingerprint,
        String taskId,
        long count,
        Instant firstSeen,
        Instant lastSeen,
        RunError sampleError,
        String sampleRunId) {

    public DeadLetterGroup {
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
