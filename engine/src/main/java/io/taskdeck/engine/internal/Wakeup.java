package io.taskdeck.engine.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A sticky wake-up flag: a signal sent while nobody waits is not lost. */
public final class Wakeup {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending;

    public void signal() {
        lock.lock();
        try {
            pending = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until signalled or the time is up ({@code Long.MAX_VALUE}: no time limit); clears the flag. */
    public void await(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (!pending && left > 0) {
                if (left == Long.MAX_VALUE) {
                    signalled.await();
                } else {
                    left = signalled.awaitNanos(left);
                }
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }

    public void await(long time, TimeUnit unit) throws InterruptedException {
        await(unit.toNanos(time));
    }
}
