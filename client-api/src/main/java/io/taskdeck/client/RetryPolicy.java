package io.taskdeck.client;

/**
 * A task's retry policy: the delay before attempt n+1 is
 * {@code min(maxTimeoutInMs, r * minTimeoutInMs * factor^(n-1))}, r = 1 or uniform in [1, 2) when randomized.
 */
public record RetryPolicy(int maxAttempts, double factor, long minTimeoutInMs, long maxTimeoutInMs, boolean randomize) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, 2, 1_000, 60_000, false);
}
