package io.taskdeck.engine;

import io.taskdeck.engine.store.RunStore;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/** The queues of an engine's store, and their live controls. Every change takes effect at once. */
public final class Queues {

    private final RunStore store;
    private final EngineClock clock;
    private final Runnable onChange;

    Queues(RunStore store, EngineClock clock, Runnable onChange) {
        this.store = store;
        this.clock = clock;
        this.onChange = onChange;
    }

    public List<QueueState> list() {
        return store.queues();
    }

    public Optional<QueueState> get(String name) {
        return store.queue(name);
    }

    /** Sets the queue's concurrency limit until {@link #resetConcurrencyLimit}. */
    public QueueState overrideConcurrencyLimit(String name, int limit) {
        return update(name, QueueUpdate.overrideLimit(limit));
    }

    /** Goes back to the limit the task definitions declare. */
    public QueueState resetConcurrencyLimit(String name) {
        return update(name, QueueUpdate.resetLimit());
    }

    /** Stops starting runs of this queue; running ones finish. A kill switch. */
    public QueueState pause(String name) {
        return update(name, QueueUpdate.pause());
    }

    public QueueState resume(String name) {
        return update(name, QueueUpdate.resume());
    }

    public QueueState update(String name, QueueUpdate update) {
        if (store.queue(name).isEmpty()) {
            throw new NoSuchElementException("no queue named " + name);
        }
        QueueState state = store.updateQueue(name, update, clock.now());
        onChange.run();
        return state;
    }
}
