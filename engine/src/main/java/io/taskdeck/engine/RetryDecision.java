package io.taskdeck.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** What a task's {@code catchError} hook answers about a failed attempt. */
public sealed interface RetryDecision {

    /** Retry per the task's retry policy (if attempts remain). */
    record Retry() implements RetryDecision {
    }

    /** Fail now, whatever attempts remain. */
    record SkipRetrying() implements RetryDecision {
    }

    /** Retry at this instant (if attempts remain). */
    record RetryAt(Instant at) implements RetryDecision {
        public RetryAt {
            Objects.requireNonNull(at, "at");
        }
    }

    /** Retry after this delay (if attempts remain). */
    record RetryAfter(Duration delay) implements RetryDecision {
        public RetryAfter {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("retry delay must be >= 0, got " + delay);
            }
        }
    }

    static RetryDecision retry() {
        return new Retry();
    }

    static RetryDecision skipRetrying() {
        return new SkipRetrying();
    }

    static RetryDecision retryAt(Instant at) {
        return new RetryAt(at);
    }

    static RetryDecision retryAfter(Duration delay) {
        return new RetryAfter(delay);
    }
}
