package io.taskdeck.server.internal;

import io.javalin.http.Context;
import io.taskdeck.client.FieldError;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.JournalListener;
import io.taskdeck.engine.JournalSubscription;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /events}: the journal as Server-Sent Events, resumable with {@code Last-Event-ID}. One
 * journal subscription per connection feeds a queue; the request's own (virtual) thread writes and
 * flushes each event, and a {@code : ping} when idle. A client that reads too slowly is cut off (it
 * reconnects with its Last-Event-ID and loses nothing).
 */
public final class EventStream {

    /** Events a slow client may fall behind by before its connection is closed. */
    private static final int MAX_BACKLOG = 100_000;
    private static final Object STOP = new Object();
    private static final Object TRIMMED = new Object();

    private final Engine engine;
    private final WireMapping wire;
    private final Duration pingInterval;
    private final Set<LinkedBlockingQueue<Object>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public EventStream(Engine engine, WireMapping wire, Duration pingInterval) {
        this.engine = engine;
        this.wire = wire;
        this.pingInterval = pingInterval;
    }

    /** Ends every open stream (server shutdown); clients reconnect elsewhere or later. */
    public void stopAll() {
        stopping = true;
        open.forEach(q -> q.add(STOP));
    }

    public int openStreams() {
        return open.size();
    }

    public void handle(Context ctx) throws Exception {
        if (stopping) {
            throw new ApiError(503, "unavailable", "the server is shutting down", List.of());
        }
        Long lastEventId = lastEventId(ctx.header("Last-Event-ID"));
        long head = engine.journal().lastSeq();
        long oldest = engine.journal().oldestSeq();

        var res = ctx.res();
        res.setStatus(200);
        res.setContentType("text/event-stream; charset=utf-8");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Accel-Buffering", "no");
        OutputStream out = res.getOutputStream();

        long after;
        if (lastEventId != null && lastEventId + 1 < oldest && head > lastEventId) {
            after = head;
            write(out, "id: " + head + "\nevent: resync\ndata: {\"requestedAfter\":" + lastEventId + ",\"oldestAvailable\":"
                    + oldest + ",\"resumedAfter\":" + head + "}\n\n");
        } else {
            after = lastEventId != null ? lastEventId : head;
            write(out, "event: ready\ndata: {\"after\":" + after + "}\n\n");
        }
        out.flush();

        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        open.add(queue);
        JournalSubscription subscription = subscribe(after, queue);
        try {
            long last = after;
            while (true) {
                Object item = queue.poll(pingInterval.toMillis(), TimeUnit.MILLISECONDS);
                if (item == null) {
                    write(out, ": ping\n\n");
                    out.flush();
                    continue;
                }
                if (item == STOP || queue.size() > MAX_BACKLOG) {
                    return;
                }
                StringBuilder chunk = new StringBuilder();
                do {
                    if (item == STOP) {
                        write(out, chunk.toString());
                        out.flush();
                        return;
                    }
                    if (item == TRIMMED) {
                        // This stream fell behind the journal's retention: say so, and go on from the head.
                        subscription.close();
                        long now = engine.journal().lastSeq();
                        chunk.append("id: ").append(now).append("\nevent: resync\ndata: {\"requestedAfter\":").append(last)
                                .append(",\"oldestAvailable\":").append(engine.journal().oldestSeq())
                                .append(",\"resumedAfter\":").append(now).append("}\n\n");
                        last = now;
                        subscription = subscribe(now, queue);
                    } else {
                        JournalEvent e = (JournalEvent) item;
                        if (e.seq() > last) {
                            chunk.append("id: ").append(e.seq()).append("\nevent: run\ndata: ").append(wire.eventJson(e))
                                    .append("\n\n");
                            last = e.seq();
                        }
                    }
                    item = chunk.length() < 64 * 1024 ? queue.poll() : null;
                } while (item != null);
                write(out, chunk.toString());
                out.flush();
            }
        } catch (IOException e) {
            // the client went away; it resumes with Last-Event-ID
        } finally {
            subscription.close();
            open.remove(queue);
        }
    }

    private JournalSubscription subscribe(long after, LinkedBlockingQueue<Object> queue) {
        return engine.journal().subscribe(after, new JournalListener() {
            @Override
            public void onEvents(List<JournalEvent> events) {
                queue.addAll(events);
            }

            @Override
            public void onResyncRequired(long oldestSeq) {
                queue.add(TRIMMED);
            }
        });
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long v = Long.parseLong(header.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("Last-Event-ID must be the seq of an event (an integer >= 0)",
                    new FieldError("Last-Event-ID", "an integer >= 0", Texts.abbreviate(header)));
        }
    }
}
