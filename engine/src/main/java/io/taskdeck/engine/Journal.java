package io.taskdeck.engine;

import io.taskdeck.engine.internal.Wakeup;
import io.taskdeck.engine.store.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The append-only journal of every change, read from the store. Live views, SSE resume, audit
 * and replay all read it the same way: from a sequence number on.
 */
public final class Journal {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final int READ_BATCH = 1_000;

    private final RunStore store;

    Journal(RunStore store) {
        this.store = store;
    }

    public long lastSeq() {
        return store.lastSeq();
    }

    public long oldestSeq() {
        return store.oldestSeq();
    }

    /** Events after {@code afterSeq}; throws if some of them were already dropped. */
    public List<JournalEvent> read(long afterSeq, int max) {
        List<JournalEvent> events = store.readJournal(afterSeq, max);
        if ((events.isEmpty() && store.oldestSeq() > afterSeq + 1 && store.lastSeq() > afterSeq)
                || (!events.isEmpty() && events.getFirst().seq() != afterSeq + 1)) {
            throw new JournalTrimmedException("events after seq " + afterSeq + " are no longer retained; oldest is "
                    + store.oldestSeq());
        }
        return events;
    }

    /**
     * Delivers every event after {@code afterSeq} (0: from the start), then new ones as they are
     * appended, on a virtual thread of its own. One cursor reads both history and live events, so
     * there is no gap and no duplicate where one turns into the other.
     */
    public JournalSubscription subscribe(long afterSeq, JournalListener listener) {
        Subscription s = new Subscription(afterSeq, listener);
        s.registration = store.onAppend(s.wake::signal);
        s.thread = Thread.ofVirtual().name("journal-subscriber").start(s::loop);
        return s;
    }

    /**
     * Feeds the events with {@code from <= at < to}, in order, to {@code sink}: rebuild any
     * projection from them. Fails if the journal no longer holds the start of the range.
     */
    public void replay(Instant from, Instant to, Consumer<JournalEvent> sink) {
        long start = store.seqAt(from);
        long oldest = store.oldestSeq();
        if (start <= oldest && oldest > 1) {
            List<JournalEvent> first = store.readJournal(oldest - 1, 1);
            if (first.isEmpty() || first.getFirst().at().isAfter(from)) {
                throw new JournalTrimmedException("the journal no longer holds events from " + from
                        + "; the oldest retained is seq " + oldest);
            }
        }
        long cursor = start - 1;
        while (true) {
            List<JournalEvent> events = store.readJournal(cursor, READ_BATCH);
            if (events.isEmpty()) {
                return;
            }
            for (JournalEvent e : events) {
                if (!e.at().isBefore(to)) {
                    return;
                }
                sink.accept(e);
            }
            cursor = events.getLast().seq();
        }
    }

    private final class Subscription implements JournalSubscription {
        final Wakeup wake = new Wakeup();
        final JournalListener listener;
        volatile long position;
        volatile boolean active = true;
        volatile AutoCloseable registration;
        volatile Thread thread;

        Subscription(long afterSeq, JournalListener listener) {
            this.position = afterSeq;
            this.listener = listener;
        }

        void loop() {
            try {
                while (active) {
                    List<JournalEvent> events;
                    boolean gap;
                    try {
                        events = store.readJournal(position, READ_BATCH);
                        gap = events.isEmpty()
                                ? store.oldestSeq() > position + 1 && store.lastSeq() > position
                                : events.getFirst().seq() != position + 1;
                    } catch (RuntimeException e) {
                        if (!active) {
                            break;
                        }
                        // A shared store may be briefly unreachable (a database restart): keep the
                        // position and try again rather than end the subscription.
                        LOG.warn("journal read after seq {} failed, retrying in a second: {}", position, e.getMessage());
                        wake.await(TimeUnit.SECONDS.toNanos(1));
                        continue;
                    }
                    if (gap) {
                        active = false;
                        listener.onResyncRequired(store.oldestSeq());
                        break;
                    }
                    if (events.isEmpty()) {
                        wake.await(Long.MAX_VALUE);
                        continue;
                    }
                    try {
                        listener.onEvents(events);
                    } catch (RuntimeException e) {
                        LOG.error("journal listener failed on events {}..{}", events.getFirst().seq(), events.getLast().seq(), e);
                    }
                    position = events.getLast().seq();
                }
            } catch (InterruptedException e) {
                // closed
            } finally {
                active = false;
                closeRegistration();
            }
        }

        private void closeRegistration() {
            try {
                AutoCloseable r = registration;
                if (r != null) {
                    r.close();
                }
            } catch (Exception ignored) {
                // removing a listener cannot meaningfully fail
            }
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public void close() {
            active = false;
            Thread t = thread;
            if (t != null && t != Thread.currentThread()) {
                t.interrupt();
            }
            closeRegistration();
        }
    }
}
