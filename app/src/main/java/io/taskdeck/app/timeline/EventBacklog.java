package io.taskdeck.app.timeline;

import io.taskdeck.client.RunEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Live events waiting to be applied, so that one frame applies a bounded number of them: a tick
 * of a busy connection hands over thousands at once, and applying them all in the pulse that
 * delivers them stalls that frame. Past {@code maxPending} the oldest are applied at once, so the
 * backlog stays bounded while no frame drains it (the view is not on screen).
 *
 * <p>Not thread-safe: filled and drained on the FX thread.
 */
final class EventBacklog {

    private final ArrayDeque<RunEvent> pending = new ArrayDeque<>();
    private final int maxPending;

    EventBacklog(int maxPending) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, was " + maxPending);
        }
        this.maxPending = maxPending;
    }

    /** Queues a tick's events; applies the oldest beyond the bound right away. */
    void offer(List<RunEvent> events, Consumer<RunEvent> apply) {
        pending.addAll(events);
        while (pending.size() > maxPending) {
            apply.accept(pending.poll());
        }
    }

    /**
     * Applies at most {@code max} of the oldest events.
     *
     * @return how many were applied
     */
    int drain(int max, Consumer<RunEvent> apply) {
        int n = 0;
        for (RunEvent e; n < max && (e = pending.poll()) != null; n++) {
            apply.accept(e);
        }
        return n;
    }

    int size() {
        return pending.size();
    }

    void clear() {
        pending.clear();
    }
}
