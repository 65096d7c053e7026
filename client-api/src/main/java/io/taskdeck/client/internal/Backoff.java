package io.taskdeck.client.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the delay before retry n (n ≥ 1) is
 * {@code min(max, initial × 2^(n−1))} scaled by a random factor in [0.5, 1], so that many clients
 * dropped at once do not come back in lockstep.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random values in [0, 1) */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is shorter than initial backoff " + initial);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** Delay before retry {@code n} (1-based). */
    public Duration delay(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("retry number must be >= 1, got " + n);
        }
        int doublings = Math.min(n - 1, 62);
        long base = initialMillis << doublings;
        if (base <= 0 || (base >> doublings) != initialMillis || base > maxMillis) {
            base = maxMillis;
        }
        double scale = 0.5 + 0.5 * random.getAsDouble();
        return Duration.ofMillis(Math.max(1, Math.round(base * scale)));
    }

    public Duration max() {
        return Duration.ofMillis(maxMillis);
    }
}
