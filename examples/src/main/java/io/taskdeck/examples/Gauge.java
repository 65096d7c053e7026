package io.taskdeck.examples;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts what is running right now, the most that ever ran at once, and how many finished.
 * Tests and the load generator read concurrency from it instead of inferring it from timings;
 * the {@code await} methods let them wait for a state without sleeping.
 */
public final class Gauge {

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int inFlight;
    private int max;
    private long finished;

    public Gauge(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Marks one more in flight; close the returned handle when it is done. */
    public Entry enter() {
        lock.lock();
        try {
            inFlight++;
            max = Math.max(max, inFlight);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return new Entry();
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** The most that were in flight at once since creation or the last {@link #resetMax()}. */
    public int max() {
        lock.lock();
        try {
            return max;
        } finally {
            lock.unlock();
        }
    }

    /** How many entries were closed (whether the work succeeded or threw). */
    public long finished() {
        lock.lock();
        try {
            return finished;
        } finally {
            lock.unlock();
        }
    }

    /** Starts a new measurement window: the maximum becomes what is in flight now. */
    public void resetMax() {
        lock.lock();
        try {
            max = inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until exactly {@code count} are in flight; false if that did not happen within {@code timeout}. */
    public boolean awaitInFlight(int count, Duration timeout) throws InterruptedException {
        return await(timeout, () -> inFlight == count);
    }

    /** Waits until at least {@code count} entries have finished; false on timeout. */
    public boolean awaitFinished(long count, Duration timeout) throws InterruptedException {
        return await(timeout, () -> finished >= count);
    }

    private boolean await(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Gauge[" + name + " inFlight=" + inFlight + " max=" + max + " finished=" + finished + "]";
        } finally {
            lock.unlock();
        }
    }

    /** One unit of in-flight work. */
    public final class Entry implements AutoCloseable {
        private boolean closed;

        private Entry() {
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                closed = true;
                inFlight--;
                finished++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

}
