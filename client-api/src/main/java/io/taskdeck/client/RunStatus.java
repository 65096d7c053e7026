package io.taskdeck.client;

/**
 * Status of a run, with Trigger.dev v4's names. Serialized as the constant name
 * ({@code "COMPLETED"}).
 */
public enum RunStatus {
    /** Waiting for its {@code delayUntil} time before it is queued. */
    DELAYED,
    /** Ready to execute, waiting for a free concurrency slot. */
    QUEUED,
    /** An attempt is running on a node. */
    EXECUTING,
    /** Suspended: waiting for a child run or a retry backoff. */
    WAITING,
    COMPLETED,
    /** The last attempt threw (or a non-retryable error ended retries). */
    FAILED,
    /** The attempt died without reporting (for example its node was lost). */
    CRASHED,
    CANCELED,
    /** Its {@code ttl} elapsed before it started. */
    EXPIRED,
    /** An attempt exceeded the task's {@code maxDuration}. */
    TIMED_OUT,
    /** The engine itself failed the run. */
    SYSTEM_FAILURE;

    /** True when the run will not change status again by itself. */
    public boolean isFinal() {
        return switch (this) {
            case COMPLETED, FAILED, CRASHED, CANCELED, EXPIRED, TIMED_OUT, SYSTEM_FAILURE -> true;
            case DELAYED, QUEUED, EXECUTING, WAITING -> false;
        };
    }

    /** True for the final statuses that put a run into the dead-letter set. */
    public boolean isFailure() {
        return switch (this) {
            case FAILED, CRASHED, TIMED_OUT, SYSTEM_FAILURE -> true;
            default -> false;
        };
    }
}
