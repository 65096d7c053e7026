package io.taskdeck.engine.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A sticky wake-up flag: a signal sent while nobody waits is not lost. Cheap on the hot path:
 * a signal while one is already pending, or while nobody waits, takes no lock, and a waiter that
 * finds a signal pending returns without one.
 */
public final class Wakeup {

    private final AtomicBoolean pending = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    /** Threads inside {@link #await(long)}'s slow path; read by signallers to skip the lock. */
    private volatile int waiters;

    public void signal() {
        if (pending.get() || pending.getAndSet(true)) {
            return;  // already pending: whoever consumes it has not yet looked, and will
        }
        // pending and waiters are both volatile: either a waiter registered before our write
        // (we see it and signal) or it checks pending after registering and sees ours.
        if (waiters > 0) {
            lock.lock();
            try {
                signalled.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits until signalled or the time is up ({@code Long.MAX_VALUE}: no time limit); clears the flag. */
    public void await(long nanos) throws InterruptedException {
        if (pending.getAndSet(false) || nanos <= 0) {
            return;
        }
        lock.lock();
        try {
            waiters++;
            try {
                long left = nanos;
                while (!pending.get() && left > 0) {
                    if (left == Long.MAX_VALUE) {
                        signalled.await();
                    } else {
                        left = signalled.awaitNanos(left);
                    }
                }
            } finally {
                waiters--;
            }
            pending.set(false);
        } finally {
            lock.unlock();
        }
    }

    public void await(long time, TimeUnit unit) throws InterruptedException {
        await(unit.toNanos(time));
    }
}
