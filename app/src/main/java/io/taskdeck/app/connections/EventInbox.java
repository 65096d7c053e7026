package io.taskdeck.app.connections;

import io.taskdeck.client.ConnectionState;
import io.taskdeck.client.Resync;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventListener;
import io.taskdeck.client.TaskServerException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a subscription's events wait for the UI: the client thread only appends; the UI takes
 * everything that arrived since the last tick in one {@link #drain()}. Nothing here touches
 * JavaFX, so a burst of thousands of events costs the FX thread one batch per tick.
 */
final class EventInbox implements RunEventListener {

    /** What arrived since the last drain. */
    record Batch(List<RunEvent> events, ConnectionState state, TaskServerException error, boolean resync) {
        boolean isEmpty() {
            return events.isEmpty() && state == null && error == null && !resync;
        }
    }

    private final ConcurrentLinkedQueue<RunEvent> events = new ConcurrentLinkedQueue<>();
    private final AtomicReference<ConnectionState> state = new AtomicReference<>();
    private final AtomicReference<TaskServerException> error = new AtomicReference<>();
    private final AtomicBoolean resync = new AtomicBoolean();

    @Override
    public void onEvent(RunEvent event) {
        events.add(event);
    }

    @Override
    public void onConnectionState(ConnectionState now) {
        state.set(now);
    }

    @Override
    public void onResync(Resync r) {
        resync.set(true);
    }

    @Override
    public void onError(TaskServerException e) {
        error.set(e);
    }

    Batch drain() {
        List<RunEvent> taken = new ArrayList<>();
        for (RunEvent e; (e = events.poll()) != null; ) {
            taken.add(e);
        }
        return new Batch(taken, state.getAndSet(null), error.getAndSet(null), resync.getAndSet(false));
    }
}
