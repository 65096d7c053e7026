package io.taskdeck.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to. Timers of an engine built with it fire on
 * {@link #advance(Duration)}, never on their own, so tests are deterministic.
 */
public final class ManualClock extends EngineClock {

    private final AtomicLong millis;

    public ManualClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    /** A clock starting at 2025-01-01T00:00:00Z. */
    public ManualClock() {
        this(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public long realNanosUntil(long deadlineMillis) {
        return deadlineMillis <= millis() ? 0 : Long.MAX_VALUE;
    }

    /** Moves the clock forward and wakes every waiter. */
    public Instant advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a clock only moves forward, got " + by);
        }
        long now = millis.addAndGet(by.toMillis());
        fireAdvanced();
        return Instant.ofEpochMilli(now);
    }

    /**
     * Waits until at least {@code count} threads sleep on this clock (tasks in {@code ctx.sleep}),
     * so that a test advances the clock after they took their deadlines from it, not before.
     *
     * @throws IllegalStateException when {@code timeout} of real time passes first
     */
    public void awaitSleepers(int count, Duration timeout) throws InterruptedException {
        if (!awaitSleepers(count, timeout.toNanos())) {
            throw new IllegalStateException("fewer than " + count + " threads sleep on " + this + " after " + timeout);
        }
    }

    /** Sets the clock to a later instant and wakes every waiter. */
    public void set(Instant to) {
        long target = to.toEpochMilli();
        long previous = millis.getAndUpdate(current -> Math.max(current, target));
        if (target < previous) {
            throw new IllegalArgumentException("a clock only moves forward: " + to + " is before " + Instant.ofEpochMilli(previous));
        }
        fireAdvanced();
    }

    @Override
    public String toString() {
        return "ManualClock[" + now() + "]";
    }
}
