package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit: one thread owns the write connection, drains whatever write requests are
 * pending into one transaction, gives each its own savepoint (one request's bad input never
 * undoes another's) and completes every request only after COMMIT returned. Under load one
 * fsync (in FULL mode) or one WAL append (NORMAL) covers thousands of requests.
 */
public final class Writer implements AutoCloseable {

    /** A write request, run on the writer thread inside the group's transaction. */
    @FunctionalInterface
    public interface Op<T> {
        T run(WriteTx tx) throws SQLException;
    }

    /** Called on the writer thread after a commit. */
    public interface CommitListener {
        void committed(boolean wake, boolean appended);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

    private static final class Pending<T> {
        final Op<T> op;
        final String action;
        final CompletableFuture<T> future = new CompletableFuture<>();
        T result;
        RuntimeException error;

        Pending(Op<T> op, String action) {
            this.op = op;
            this.action = action;
        }

        void complete() {
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(result);
            }
        }
    }

    /** A failure that undid the whole group's transaction (disk full, I/O error), not just one request. */
    private static final class GroupFailed extends Exception {
        final SQLException cause;

        GroupFailed(SQLException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    private static final Pending<Void> STOP = new Pending<>(tx -> null, "stop");

    private final Path file;
    private final Conn conn;
    private final Checkpointer checkpointer;
    private final WriteTx tx;
    private final int maxBatch;
    private final CommitListener listener;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final AtomicLong committedSeq;
    private final Thread thread;
    private volatile boolean closed;

    /** Starts the writer thread on {@code conn}; it owns {@code checkpointer} from now on and closes it. */
    public Writer(Path file, Conn conn, Checkpointer checkpointer, long lastSeq, long lastAt, int maxBatch,
                  CommitListener listener) {
        this.file = file;
        this.conn = conn;
        this.checkpointer = checkpointer;
        this.tx = new WriteTx(conn, lastSeq, lastAt);
        this.maxBatch = maxBatch;
        this.listener = listener;
        this.committedSeq = new AtomicLong(lastSeq);
        this.thread = new Thread(this::loop, "taskdeck-sqlite-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The last journal seq that is committed. */
    public long committedSeq() {
        return committedSeq.get();
    }

    /**
     * Committed events after {@code afterSeq} up to {@code lastSeq}, from memory; null when they
     * are not all held there any more (read the file then).
     */
    public List<JournalEvent> recentEvents(long afterSeq, long lastSeq, int max) {
        return tx.recent.read(afterSeq, lastSeq, max);
    }

    /** Runs the request in the next group; returns after its commit, or throws what it threw. */
    public <T> T submit(String action, Op<T> op) {
        if (closed) {
            throw new StoreException("the store " + file + " is closed; cannot " + action);
        }
        Pending<T> p = new Pending<>(op, action);
        queue.add(p);
        if (closed && queue.remove(p)) {
            throw new StoreException("the store " + file + " is closed; cannot " + action);
        }
        try {
            return p.future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("could not " + action + " in the store " + file, cause);
        }
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(maxBatch);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(batch, maxBatch - 1);
            if (batch.remove(STOP)) {
                stop = true;
                queue.drainTo(batch);
                batch.remove(STOP);
            }
            if (!batch.isEmpty()) {
                try {
                    runBatch(batch);
                } catch (Throwable t) {
                    // Never let the writer thread die: callers would wait forever.
                    LOG.error("{}: the store's writer failed on a group of {} writes", file, batch.size(), t);
                    rollbackQuietly();
                    conn.resetStatements();
                    tx.discardGroup();
                    for (Pending<?> p : batch) {
                        p.future.completeExceptionally(new StoreException("could not " + p.action + " in the store "
                                + file + ": the writer failed (" + t + ")", t));
                    }
                }
            }
            batch.clear();
        }
    }

    private void runBatch(List<Pending<?>> batch) {
        long seqBefore = tx.seq;
        long atBefore = tx.lastAt;
        boolean wake = false;
        try {
            // The connection is not in auto-commit: the driver keeps a transaction open, and
            // commit() ends it and begins the next.
            for (Pending<?> p : batch) {
                wake |= runOne(p);
            }
            tx.flushGroup();
            conn.connection().commit();
        } catch (SQLException | GroupFailed e) {
            SQLException cause = e instanceof GroupFailed g ? g.cause : (SQLException) e;
            LOG.warn("{}: a group of {} writes failed and was rolled back: {}", file, batch.size(), cause.getMessage());
            rollbackQuietly();
            conn.resetStatements();
            tx.discardGroup();
            tx.seq = seqBefore;
            tx.lastAt = atBefore;
            failAll(batch, cause);
            return;
        }
        tx.committed();
        committedSeq.set(tx.seq);
        for (Pending<?> p : batch) {
            p.complete();
        }
        if (listener != null) {
            try {
                listener.committed(wake, tx.seq != seqBefore);
            } catch (RuntimeException e) {
                LOG.warn("a store listener failed", e);
            }
        }
        // Last, so that the callers and listeners never wait for the writer's share of checkpointing.
        checkpointer.committed(conn);
    }

    /** Runs one request in its savepoint; true when it succeeded and asked for a wake-up. */
    private <T> boolean runOne(Pending<T> p) throws SQLException, GroupFailed {
        long seq = tx.seq;
        long at = tx.lastAt;
        tx.wake = false;
        conn.exec("SAVEPOINT op");
        try {
            p.result = p.op.run(tx);
            tx.flushRows();
            conn.exec("RELEASE op");
            tx.releaseOp();
            return tx.wake;
        } catch (Throwable t) {
            tx.discardOp();
            tx.seq = seq;
            tx.lastAt = at;
            p.result = null;
            p.error = Failures.translate(file, p.action, t);
            if (t instanceof SQLException sql && Failures.undoesTransaction(sql)) {
                // SQLite may already have rolled the whole transaction back.
                throw new GroupFailed(sql);
            }
            try {
                conn.exec("ROLLBACK TO op");
                conn.exec("RELEASE op");
            } catch (SQLException rollbackFailed) {
                throw new GroupFailed(t instanceof SQLException sql ? sql : rollbackFailed);
            }
            return false;
        }
    }

    private void failAll(List<Pending<?>> batch, SQLException e) {
        for (Pending<?> p : batch) {
            p.result = null;
            p.error = new StoreException(Failures.describe(file, p.action, e), e);
            p.complete();
        }
    }

    private void rollbackQuietly() {
        try {
            conn.connection().rollback();
        } catch (SQLException alreadyRolledBack) {
            // SQLite rolls back by itself on some errors (disk full, I/O); the driver then has no
            // open transaction to end, and expects one: open it.
            try (var st = conn.connection().createStatement()) {
                st.execute("BEGIN");
            } catch (SQLException ignored) {
                // a transaction is open after all
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpointer.close();
        for (Pending<?> p; (p = queue.poll()) != null; ) {
            if (p != STOP) {
                p.error = new StoreException("the store " + file + " is closed; cannot " + p.action);
                p.complete();
            }
        }
    }
}
