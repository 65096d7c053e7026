package io.taskdeck.engine;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How often and how late a failed run is tried again. The delay before attempt n+1 (n &gt;= 1)
 * is {@code min(maxTimeoutInMs, r * minTimeoutInMs * factor^(n-1))}, with r = 1, or uniform in
 * [1, 2) when {@code randomize}. Defaults: 3 attempts, factor 2, 1 s, 60 s, no randomization.
 */
public record RetryPolicy(int maxAttempts, double factor, long minTimeoutInMs, long maxTimeoutInMs, boolean randomize) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(3, 2.0, 1_000, 60_000, false);
    public static final RetryPolicy NONE = new RetryPolicy(1, 2.0, 1_000, 60_000, false);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("retry.factor must be a finite number >= 1, got " + factor);
        }
        if (minTimeoutInMs < 0 || maxTimeoutInMs < minTimeoutInMs) {
            throw new IllegalArgumentException("retry timeouts must satisfy 0 <= minTimeoutInMs <= maxTimeoutInMs, got "
                    + minTimeoutInMs + " and " + maxTimeoutInMs);
        }
    }

    public static RetryPolicy attempts(int maxAttempts) {
        return DEFAULT.withMaxAttempts(maxAttempts);
    }

    public RetryPolicy withMaxAttempts(int value) {
        return new RetryPolicy(value, factor, minTimeoutInMs, maxTimeoutInMs, randomize);
    }

    public RetryPolicy withFactor(double value) {
        return new RetryPolicy(maxAttempts, value, minTimeoutInMs, maxTimeoutInMs, randomize);
    }

    public RetryPolicy withTimeouts(Duration min, Duration max) {
        return new RetryPolicy(maxAttempts, factor, min.toMillis(), max.toMillis(), randomize);
    }

    public RetryPolicy withRandomize(boolean value) {
        return new RetryPolicy(maxAttempts, factor, minTimeoutInMs, maxTimeoutInMs, value);
    }

    /**
     * The wait before the attempt after {@code failedAttempt} (1 for the first attempt).
     *
     * @param random a source of uniform numbers in [0, 1), used only when randomizing
     */
    public Duration delayAfter(int failedAttempt, DoubleSupplier random) {
        if (failedAttempt < 1) {
            throw new IllegalArgumentException("failedAttempt must be >= 1, got " + failedAttempt);
        }
        double r = randomize ? 1.0 + random.getAsDouble() : 1.0;
        double raw = r * minTimeoutInMs * Math.pow(factor, failedAttempt - 1);
        long ms = raw >= maxTimeoutInMs ? maxTimeoutInMs : (long) raw;
        return Duration.ofMillis(ms);
    }
}
