package io.taskdeck.engine;

import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's source of time. Every delay, retry timer, TTL, lease and timeout is measured
 * against it, so tests can drive them with a {@link ManualClock} instead of sleeping.
 *
 * <p>Waiters (the engine's scheduler, a rate-limited bulk job) never compute real sleeps
 * themselves: they ask {@link #realNanosUntil(long)} how long to park, and register with
 * {@link #onAdvance(Runnable)} to be woken when a manual clock jumps.
 */
public abstract class EngineClock {

    private final CopyOnWriteArrayList<Runnable> advanceListeners = new CopyOnWriteArrayList<>();
    /** Guards {@link #sleepers}; notified when it changes. */
    private final Object sleepersChanged = new Object();
    /** Threads in {@link #sleepUntil} now, their deadlines fixed. */
    private int sleepers;

    /** Milliseconds since the epoch. */
    public abstract long millis();

    public Instant now() {
        return Instant.ofEpochMilli(millis());
    }

    /**
     * How many real nanoseconds a waiter should park before {@code deadlineMillis} is reached;
     * {@code Long.MAX_VALUE} when only an {@linkplain #onAdvance advance} can reach it.
     */
    public abstract long realNanosUntil(long deadlineMillis);

    /** Registers a listener called after each jump of the clock; the returned handle removes it. */
    public final AutoCloseable onAdvance(Runnable listener) {
        advanceListeners.add(listener);
        return () -> advanceListeners.remove(listener);
    }

    private void sleepersChanged(int delta) {
        synchronized (sleepersChanged) {
            sleepers += delta;
            sleepersChanged.notifyAll();
        }
    }

    /**
     * Waits until at least {@code count} threads sleep in {@link #sleepUntil} (a task in
     * {@code ctx.sleep}), their deadlines taken from the clock as it read before; false when
     * {@code timeoutNanos} of real time passed first.
     */
    protected final boolean awaitSleepers(int count, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (sleepersChanged) {
            while (sleepers < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(sleepersChanged, left);
            }
            return true;
        }
    }

    protected final void fireAdvanced() {
        for (Runnable listener : advanceListeners) {
            listener.run();
        }
    }

    /** Blocks the calling thread until this clock reads at least {@code deadlineMillis}. */
    public void sleepUntil(long deadlineMillis) throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        Condition advanced = lock.newCondition();
        Runnable wake = () -> {
            lock.lock();
            try {
                advanced.signalAll();
            } finally {
                lock.unlock();
            }
        };
        advanceListeners.add(wake);
        sleepersChanged(1);
        try {
            lock.lock();
            try {
                while (millis() < deadlineMillis) {
                    long nanos = realNanosUntil(deadlineMillis);
                    if (nanos == Long.MAX_VALUE) {
                        advanced.await();
                    } else {
                        advanced.awaitNanos(nanos);
                    }
                }
            } finally {
                lock.unlock();
            }
        } finally {
            advanceListeners.remove(wake);
            sleepersChanged(-1);
        }
    }

    /** The wall clock. */
    public static EngineClock system() {
        return SystemClock.INSTANCE;
    }

    private static final class SystemClock extends EngineClock {
        static final SystemClock INSTANCE = new SystemClock();

        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public long realNanosUntil(long deadlineMillis) {
            long delta = deadlineMillis - millis();
            return delta <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(delta);
        }

        @Override
        public String toString() {
            return "EngineClock.system()";
        }
    }
}
