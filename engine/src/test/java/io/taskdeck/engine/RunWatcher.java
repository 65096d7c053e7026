package io.taskdeck.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Follows an engine's journal so tests can wait for what a user would see ("run X is COMPLETED")
 * instead of sleeping. The timeout only bounds a failing test; passing tests never wait for it.
 */
public final class RunWatcher implements AutoCloseable {

    private static final Duration FAIL_AFTER = Duration.ofSeconds(10);

    private final Engine engine;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<JournalEvent> events = new ArrayList<>();
    private final JournalSubscription subscription;

    public RunWatcher(Engine engine) {
        this.engine = engine;
        this.subscription = engine.journal().subscribe(0, batch -> {
            lock.lock();
            try {
                events.addAll(batch);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        });
    }

    /** Waits until an event matches, and returns it. */
    public JournalEvent awaitEvent(String description, Predicate<JournalEvent> match) {
        long deadline = System.nanoTime() + FAIL_AFTER.toNanos();
        lock.lock();
        try {
            int checked = 0;
            while (true) {
                for (; checked < events.size(); checked++) {
                    if (match.test(events.get(checked))) {
                        return events.get(checked);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + description + "; journal: " + events);
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + description, e);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the run has entered this status (at any point) and returns the run as it is now. */
    public Run awaitStatus(String runId, RunStatus status) {
        awaitEvent(runId + " -> " + status, e -> runId.equals(e.runId()) && e.to() == status && e.from() != status);
        return engine.run(runId).orElseThrow();
    }

    /** Waits for the n-th time (1-based) the run entered this status. */
    public Run awaitStatus(String runId, RunStatus status, int occurrence) {
        int[] seen = {0};
        awaitEvent(runId + " -> " + status + " #" + occurrence,
                e -> runId.equals(e.runId()) && e.to() == status && e.from() != status && ++seen[0] == occurrence);
        return engine.run(runId).orElseThrow();
    }

    /** Every status the run went through so far, in order. */
    public List<RunStatus> statuses(String runId) {
        lock.lock();
        try {
            return events.stream().filter(e -> runId.equals(e.runId()) && e.to() != null && e.to() != e.from())
                    .map(JournalEvent::to).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the journal has caught up with the store's last seq. */
    public void awaitQuiet() {
        long last = engine.journal().lastSeq();
        awaitEvent("seq " + last, e -> e.seq() >= last);
    }

    public List<JournalEvent> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        subscription.close();
    }

}
