package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The unfinished runs (DELAYED, QUEUED, EXECUTING, WAITING) and the queue rows, mirrored in
 * memory on the writer thread, so that claims, completions, resumes and lease renewals decide
 * without reading SQLite back. The file is locked to this process, so nothing else writes it:
 * the mirror is loaded once at open and then changed only together with the rows it mirrors.
 *
 * <p>It follows the transaction exactly: every change records its inverse, and a request
 * rolled back to its savepoint, or a group rolled back as a whole (disk full, I/O error), undoes
 * its changes here too; a committed group forgets its inverses. Not thread-safe: only the
 * writer thread touches it.
 */
final class OpenRuns {

    /** The attempt a run holds in its row (schema V2): when it started and how long it had waited. */
    record OpenAttempt(Instant startedAt, long waitMs) {
    }

    /** A run as its row stands, with the attempt columns of that row (null when they are empty). */
    record Open(Run run, OpenAttempt attempt) {
    }

    /** A queue's row. */
    record QueueRow(String name, int limit, Integer limitOverride, int keyLimit, boolean paused) {
        int effectiveLimit() {
            return limitOverride != null ? limitOverride : limit;
        }
    }

    /** Scheduling order within a queue: {@link Run#orderKey()}, then id. */
    private static final Comparator<Run> ORDER = Comparator.comparingLong(Run::orderKey).thenComparing(Run::id);

    /** What a queue's unfinished runs add up to. */
    static final class QueueRuns {
        /** QUEUED runs in scheduling order, due or not. */
        final NavigableSet<Run> queued = new TreeSet<>(ORDER);
        int executing;
        /** Per concurrency key: its EXECUTING runs and its retry-pending (QUEUED) runs. */
        final HashMap<String, Integer> keyHolders = new HashMap<>();
    }

    private final HashMap<String, Open> runs = new HashMap<>();
    private final HashMap<String, QueueRuns> byQueue = new HashMap<>();
    private final TreeMap<String, QueueRow> queueRows = new TreeMap<>();
    private final ArrayDeque<Runnable> opUndo = new ArrayDeque<>();
    private final ArrayDeque<Runnable> groupUndo = new ArrayDeque<>();

    /** Reads the unfinished runs and the queues from the file; on the writer connection, at open. */
    void load(Conn c) throws SQLException {
        runs.clear();
        byQueue.clear();
        queueRows.clear();
        opUndo.clear();
        groupUndo.clear();
        try (Statement st = c.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT name, concurrency_limit, limit_override, key_limit, paused FROM queues")) {
            while (rs.next()) {
                int override = rs.getInt(3);
                Integer limitOverride = rs.wasNull() ? null : override;
                queueRows.put(rs.getString(1),
                        new QueueRow(rs.getString(1), rs.getInt(2), limitOverride, rs.getInt(4), rs.getInt(5) != 0));
            }
        }
        // The unfinished runs through the NULL entries of the index runs_ended (V3): their completed_at is
        // empty. run_counts, kept in step with every commit, says how many there must be; a
        // file where they differ is read again with a scan of the whole table.
        long expected;
        try (Statement st = c.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(sum(n), 0) FROM run_counts WHERE status IN " + UNFINISHED)) {
            expected = rs.next() ? rs.getLong(1) : 0;
        }
        if (loadRuns(c, "completed_at IS NULL AND status IN " + UNFINISHED) != expected) {
            runs.clear();
            byQueue.clear();
            loadRuns(c, "status IN " + UNFINISHED);
        }
    }

    private static final String UNFINISHED = "('DELAYED', 'QUEUED', 'EXECUTING', 'WAITING')";

    private int loadRuns(Conn c, String where) throws SQLException {
        int n = 0;
        PreparedStatement ps = c.connection().prepareStatement("SELECT " + Codec.RUN_COLUMNS
                + ", attempt_started_at, attempt_wait_ms FROM runs WHERE " + where);
        try (ps; ResultSet rs = ps.executeQuery()) {
            int attemptColumn = Codec.RUN_COLUMN_COUNT + 1;
            while (rs.next()) {
                Run r = Codec.readRun(rs, 1);
                Instant started = Codec.getInstant(rs, attemptColumn);
                OpenAttempt attempt = started == null ? null : new OpenAttempt(started, rs.getLong(attemptColumn + 1));
                replace(r.id(), new Open(r, attempt));
                n++;
            }
        }
        return n;
    }

    Open get(String id) {
        return runs.get(id);
    }

    QueueRuns queueRuns(String queue) {
        QueueRuns q = byQueue.get(queue);
        return q != null ? q : EMPTY;
    }

    private static final QueueRuns EMPTY = new QueueRuns();

    /** The queues in name order. */
    Iterable<QueueRow> queueRows() {
        return queueRows.values();
    }

    QueueRow queueRow(String name) {
        return queueRows.get(name);
    }

    /** The row of a run now is {@code next} (a final run leaves the mirror); undone with the request. */
    void put(Run next, OpenAttempt attempt) {
        String id = next.id();
        Open old = replace(id, next.isFinal() ? null : new Open(next, attempt));
        opUndo.push(() -> replace(id, old));
    }

    void putQueue(QueueRow row) {
        QueueRow old = queueRows.put(row.name(), row);
        opUndo.push(() -> {
            if (old == null) {
                queueRows.remove(row.name());
            } else {
                queueRows.put(old.name(), old);
            }
        });
    }

    private Open replace(String id, Open next) {
        Open old = next == null ? runs.remove(id) : runs.put(id, next);
        if (old != null) {
            index(old.run(), -1);
        }
        if (next != null) {
            index(next.run(), 1);
        }
        return old;
    }

    private void index(Run r, int delta) {
        QueueRuns q = byQueue.get(r.queue());
        if (q == null) {
            q = new QueueRuns();
            byQueue.put(r.queue(), q);
        }
        RunStatus s = r.status();
        if (s == RunStatus.QUEUED) {
            if (delta > 0) {
                q.queued.add(r);
            } else {
                q.queued.remove(r);
            }
        } else if (s == RunStatus.EXECUTING) {
            q.executing += delta;
        }
        if (r.concurrencyKey() != null && (s == RunStatus.EXECUTING || r.isRetryPending())) {
            q.keyHolders.merge(r.concurrencyKey(), delta, (a, b) -> a + b == 0 ? null : a + b);
        }
        if (delta < 0 && q.queued.isEmpty() && q.executing == 0 && q.keyHolders.isEmpty()) {
            byQueue.remove(r.queue());
        }
    }

    // ---------------------------------------------------------------- following the transaction

    /** The request succeeded (its savepoint was released): its changes join the group's. */
    void releaseOp() {
        // Undo runs newest first: the group's log gets the request's entries on top.
        while (!opUndo.isEmpty()) {
            groupUndo.push(opUndo.pollLast());
        }
    }

    /** The request was rolled back to its savepoint. */
    void discardOp() {
        for (Runnable undo; (undo = opUndo.poll()) != null; ) {
            undo.run();
        }
    }

    /** The group committed. */
    void committed() {
        opUndo.clear();
        groupUndo.clear();
    }

    /** The whole group was rolled back. */
    void discardGroup() {
        discardOp();
        for (Runnable undo; (undo = groupUndo.poll()) != null; ) {
            undo.run();
        }
    }
}
