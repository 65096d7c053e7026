package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.store.internal.StoreListeners;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Listens on one dedicated connection for other nodes' NOTIFYs and calls this node's listeners.
 * While the connection is down (PostgreSQL restarting) it polls instead: every poll interval it
 * calls the listeners as if notified, and it calls them once more on reconnecting, since
 * notifications sent meanwhile are lost.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    /** How long one wait for notifications lasts: also how long close() may take. */
    private static final int WAIT_MILLIS = 100;

    /** Opens a fresh connection outside the pool. */
    @FunctionalInterface
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private final ConnectionFactory factory;
    private final JournalWriter.Channels channels;
    private final long pollMillis;
    private final StoreListeners workListeners;
    private final StoreListeners appendListeners;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stateChanged = lock.newCondition();
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile Connection current;

    public Notifier(ConnectionFactory factory, JournalWriter.Channels channels, long pollMillis,
                    StoreListeners workListeners, StoreListeners appendListeners) {
        this.factory = factory;
        this.channels = channels;
        this.pollMillis = pollMillis;
        this.workListeners = workListeners;
        this.appendListeners = appendListeners;
        this.thread = Thread.ofPlatform().daemon().name("taskdeck-pg-listen").unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    /** Whether LISTEN is in place now. */
    public boolean isConnected() {
        return connected;
    }

    /** Waits until LISTEN is in place (tests and start-up use it so no early NOTIFY is missed). */
    public boolean awaitConnected(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        lock.lock();
        try {
            while (!connected && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                stateChanged.awaitNanos(left);
            }
            return connected;
        } finally {
            lock.unlock();
        }
    }

    private void setConnected(boolean value) {
        lock.lock();
        try {
            connected = value;
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        long backoff = Math.min(pollMillis, 100);
        while (!closed) {
            try (Connection c = factory.open()) {
                current = c;
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + quote(channels.work()));
                    s.execute("LISTEN " + quote(channels.journal()));
                }
                setConnected(true);
                backoff = Math.min(pollMillis, 100);
                workListeners.fire();   // whatever was sent while we were away
                appendListeners.fire();
                PGConnection pg = c.unwrap(PGConnection.class);
                long lastHeard = System.nanoTime();
                while (!closed) {
                    PGNotification[] notes = pg.getNotifications(WAIT_MILLIS);
                    if (notes == null || notes.length == 0) {
                        if (System.nanoTime() - lastHeard > TimeUnit.MILLISECONDS.toNanos(pollMillis)) {
                            // A quiet connection: check it is still alive, or we would wait forever.
                            try (Statement s = c.createStatement()) {
                                s.execute("SELECT 1");
                            }
                            lastHeard = System.nanoTime();
                        }
                        continue;
                    }
                    lastHeard = System.nanoTime();
                    boolean work = false;
                    boolean append = false;
                    for (PGNotification n : notes) {
                        if (channels.origin().equals(n.getParameter())) {
                            continue;  // our own write: its listeners already ran
                        }
                        if (channels.work().equals(n.getName())) {
                            work = true;
                        } else {
                            append = true;
                        }
                    }
                    if (append) {
                        appendListeners.fire();
                    }
                    if (work) {
                        workListeners.fire();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                if (connected) {
                    LOG.warn("lost the LISTEN connection to PostgreSQL, polling every {} ms until it is back: {}",
                            pollMillis, e.getMessage());
                }
                setConnected(false);
            } finally {
                current = null;
            }
            if (closed) {
                break;
            }
            workListeners.fire();
            appendListeners.fire();
            sleep(backoff);
            backoff = Math.min(pollMillis, backoff * 2);
        }
        setConnected(false);
    }

    private void sleep(long millis) {
        lock.lock();
        try {
            if (!closed) {
                stateChanged.await(millis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
        Connection c = current;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing to unblock the listener thread
            }
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
