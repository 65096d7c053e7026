package io.taskdeck.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.client.ConnectionState;
import io.taskdeck.client.Resync;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventListener;
import io.taskdeck.client.Subscription;
import io.taskdeck.client.TaskServerException;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live subscription to {@code GET /api/taskdeck/v1/events}: reconnects with backoff and
 * {@code Last-Event-ID} after any drop, drops events it has already delivered, and reconnects when it
 * sees a gap, so that the listener gets every event once and in order.
 *
 * <p>All state sits behind this object's monitor and listener calls are made holding it, which is what
 * serializes them and makes {@link #close()} wait out a call in progress.
 */
public final class EventStream implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

    /** Builds the request for a connection resuming after the given seq (-1: live). */
    public interface RequestFactory {
        Request create(long afterSeq);
    }

    private final EventSource.Factory sources;
    private final RequestFactory requests;
    private final ObjectMapper mapper;
    private final RunEventListener listener;
    private final Backoff backoff;
    private final int offlineAfterFailures;
    private final ScheduledExecutorService scheduler;
    private final Consumer<EventStream> onClose;

    private long lastSeq;
    private ConnectionState state; // null until start() reports the first state
    private int failures;
    private boolean closed;
    private EventSource current;
    private ScheduledFuture<?> pendingReconnect;

    public EventStream(OkHttpClient client, RequestFactory requests, ObjectMapper mapper, RunEventListener listener,
                       Backoff backoff, int offlineAfterFailures, ScheduledExecutorService scheduler, long afterSeq,
                       Consumer<EventStream> onClose) {
        this.sources = EventSources.createFactory(client);
        this.requests = requests;
        this.mapper = mapper;
        this.listener = listener;
        this.backoff = backoff;
        this.offlineAfterFailures = offlineAfterFailures;
        this.scheduler = scheduler;
        this.lastSeq = afterSeq;
        this.onClose = onClose;
    }

    /** Reports RECONNECTING (connecting) to the listener and opens the first connection. */
    public synchronized void start() {
        report(ConnectionState.RECONNECTING);
        connect();
    }

    @Override
    public synchronized long lastSeq() {
        return lastSeq;
    }

    @Override
    public synchronized ConnectionState state() {
        return state == null ? ConnectionState.RECONNECTING : state;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            state = ConnectionState.OFFLINE;
            if (pendingReconnect != null) {
                pendingReconnect.cancel(false);
            }
            if (current != null) {
                current.cancel();
            }
        }
        onClose.accept(this);
    }

    private void connect() {
        if (closed) {
            return;
        }
        pendingReconnect = null;
        Connection connection = new Connection();
        current = sources.newEventSource(requests.create(lastSeq), connection);
    }

    private void reconnectLater(String why) {
        if (closed) {
            return;
        }
        if (current != null) {
            current.cancel();
            current = null;
        }
        failures++;
        report(failures >= offlineAfterFailures ? ConnectionState.OFFLINE : ConnectionState.RECONNECTING);
        long delay = backoff.delay(failures).toMillis();
        LOG.debug("event stream: {}; reconnecting after seq {} in {} ms", why, lastSeq, delay);
        pendingReconnect = scheduler.schedule(this::reconnectNow, delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void reconnectNow() {
        connect();
    }

    private void report(ConnectionState newState) {
        if (newState != state && !closed) {
            state = newState;
            try {
                listener.onConnectionState(newState);
            } catch (RuntimeException e) {
                LOG.warn("event stream: listener failed on state {}", newState, e);
            }
        }
    }

    private void fail(TaskServerException error) {
        if (current != null) {
            current.cancel();
            current = null;
        }
        report(ConnectionState.OFFLINE);
        closed = true;
        listener.onError(error);
    }

    /** The callbacks of one connection; ignored once a newer connection replaced it. */
    private final class Connection extends EventSourceListener {
        private boolean isCurrent(EventSource source) {
            return !closed && current == source;
        }

        @Override
        public void onOpen(EventSource source, Response response) {
            synchronized (EventStream.this) {
                if (isCurrent(source)) {
                    failures = 0;
                    report(ConnectionState.CONNECTED);
                }
            }
        }

        @Override
        public void onEvent(EventSource source, String id, String type, String data) {
            synchronized (EventStream.this) {
                if (!isCurrent(source)) {
                    return;
                }
                try {
                    switch (type == null ? "message" : type) {
                        case "run" -> onRunEvent(mapper.readValue(data, RunEvent.class));
                        case "ready" -> onReady(mapper.readTree(data));
                        case "resync" -> onResync(mapper.readValue(data, Resync.class));
                        default -> LOG.debug("event stream: ignoring event type {}", type);
                    }
                } catch (IOException | RuntimeException e) {
                    // A listener exception must not kill the stream silently; a malformed event is a server bug.
                    LOG.warn("event stream: cannot handle {} event {}: {}", type, id, e.toString(), e);
                }
            }
        }

        private void onReady(JsonNode ready) {
            JsonNode after = ready.get("after");
            if (lastSeq < 0 && after != null && after.canConvertToLong()) {
                lastSeq = after.asLong();
            }
        }

        private void onResync(Resync resync) {
            lastSeq = resync.resumedAfter();
            listener.onResync(resync);
        }

        private void onRunEvent(RunEvent event) {
            if (lastSeq >= 0 && event.seq() <= lastSeq) {
                return; // already delivered before a reconnect
            }
            if (lastSeq >= 0 && event.seq() != lastSeq + 1) {
                reconnectLater("gap: expected seq " + (lastSeq + 1) + ", got " + event.seq());
                return;
            }
            lastSeq = event.seq();
            listener.onEvent(event);
        }

        @Override
        public void onClosed(EventSource source) {
            synchronized (EventStream.this) {
                if (isCurrent(source)) {
                    reconnectLater("server ended the stream");
                }
            }
        }

        @Override
        public void onFailure(EventSource source, Throwable t, Response response) {
            synchronized (EventStream.this) {
                if (!isCurrent(source)) {
                    return;
                }
                int code = response == null ? 0 : response.code();
                if (code == 401 || code == 403 || code == 404) {
                    String body = "";
                    try {
                        body = response.body().string();
                    } catch (IOException | RuntimeException ignored) {
                        // the status alone says enough
                    }
                    fail(HttpErrors.forStatus("GET " + response.request().url().encodedPath(), code, body, mapper));
                } else {
                    reconnectLater(code != 0 ? "HTTP " + code : String.valueOf(t));
                }
            }
        }
    }
}
