package io.taskdeck.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * What a {@link RunEvent} records. Serialized as the constant name. A type this client does not
 * know (from a newer server) is read as {@link #UNKNOWN}.
 */
public enum RunEventType {
    /** The run was created (by trigger, batch trigger, replay or a parent). */
    TRIGGERED,
    /** The run's status changed; {@link RunEvent#status()} is the new status. */
    STATUS_CHANGED,
    ATTEMPT_STARTED,
    ATTEMPT_FAILED,
    /** A failed attempt will be retried; details carry {@code retryAt}. */
    RETRY_SCHEDULED,
    /** Put back to QUEUED from the dead-letter set; details may carry {@code queue} and {@code payloadEdited}. */
    REQUEUED,
    /** A DELAYED run got a new {@code delayUntil}. */
    RESCHEDULED,
    /** Its dead-letter entry was resolved without requeue. */
    DISCARDED,
    METADATA_UPDATED,
    /**
     * A queue changed (no run, no status): details carry {@code queue} and {@code change}, a short
     * text such as "concurrency limit overridden to 5" or "paused".
     */
    QUEUE_UPDATED,
    @JsonEnumDefaultValue
    UNKNOWN
}
