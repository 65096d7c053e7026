package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.store.sqlite.OpenRuns.OpenAttempt;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The row writes of the running request, sent to SQLite as multi-row statements when the
 * request ends (before its savepoint is released) or before the request reads the tables they
 * touch: the driver's cost per statement, not SQLite's per row, dominated writing rows one by
 * one. Run inserts go first, then run updates (several changes of one run within a request
 * merge into one), then attempts, then journal events. {@link RowChunks} writes them, binding a
 * value that every row of a chunk shares once.
 *
 * <p>A run's events are chained (schema V4): each journal row carries the seq of the run's event
 * before it, and the run's row the seq of its last event, set with the insert or by the run's
 * update (an update of that column alone when nothing else changed). Both are one integer per
 * row however many events the run has, and the journal needs no index by run.
 */
final class PendingRows {

    /**
     * A run's row change: the columns that differ (a {@link Codec} mask), the row's new values, and
     * its rowid when the writer's mirror knows it (0: the row is found by its id).
     */
    private record Update(int mask, Run after, OpenAttempt attempt, long rowid) {
    }

    /** A journal event and the seq of its run's event before it (0 for none). */
    private record Chained(JournalEvent event, long prevSeq) {
    }

    private final Conn conn;
    private final OpenRuns open;
    /** A run to insert with the rowid the writer gave it (see {@link OpenRuns#newRowid}). */
    private record Insert(Run run, long rowid) {
    }

    private final ArrayList<Insert> inserts = new ArrayList<>();
    private final LinkedHashMap<String, Update> updates = new LinkedHashMap<>();
    private final ArrayList<Attempt> attempts = new ArrayList<>();
    private final ArrayList<Chained> events = new ArrayList<>();
    /**
     * Per run: the seq of the last event journaled for it since the last flush; 0 for a run
     * inserted since then that has none yet.
     */
    private final HashMap<String, Long> lastSeqs = new HashMap<>();

    PendingRows(Conn conn, OpenRuns open) {
        this.conn = conn;
        this.open = open;
    }

    /** Inserts the run with the rowid {@code rowid} (see {@link OpenRuns#newRowid}). */
    void insert(Run run, long rowid) {
        inserts.add(new Insert(run, rowid));
        lastSeqs.put(run.id(), 0L);
    }

    /** The run's row goes from {@code before} to {@code after}; its attempt columns to {@code attempt}. */
    void update(Run before, OpenAttempt attemptBefore, Run after, OpenAttempt attempt) {
        int mask = Codec.changed(before, after) | Codec.changed(attemptBefore, attempt);
        if (mask == 0) {
            return;
        }
        Update pending = updates.get(after.id());
        if (pending != null) {
            mask |= pending.mask();
        }
        // Called before the mirror takes the new snapshot (which drops a run that became final).
        OpenRuns.Open mirrored = open.get(after.id());
        updates.put(after.id(), new Update(mask, after, attempt, mirrored == null ? 0 : mirrored.rowid()));
    }

    /** Inserts the attempt, or ends it in place where an older store left it RUNNING (see V2). */
    void endAttempt(Attempt attempt) {
        attempts.add(attempt);
    }

    /** Journals the event; {@code prevSeq} is its run's event before it (0 for none), see {@link #lastSeq}. */
    void journal(JournalEvent event, long prevSeq) {
        events.add(new Chained(event, prevSeq));
        if (event.runId() != null) {
            lastSeqs.put(event.runId(), event.seq());
        }
    }

    /**
     * The seq of the run's last event if this request journaled it since the last flush, 0 if it
     * inserted the run since then and journaled nothing for it yet; -1 when the rows written
     * (or the writer's mirror) know it instead.
     */
    long lastSeq(String runId) {
        Long seq = lastSeqs.get(runId);
        return seq == null ? -1 : seq;
    }

    boolean isEmpty() {
        return inserts.isEmpty() && updates.isEmpty() && attempts.isEmpty() && events.isEmpty();
    }

    /** Drops what was not written: the request is being rolled back. */
    void clear() {
        inserts.clear();
        updates.clear();
        attempts.clear();
        events.clear();
        lastSeqs.clear();
    }

    /** Writes everything pending. On failure the caller rolls the request back. */
    void flush() throws SQLException {
        if (isEmpty()) {
            return;
        }
        try {
            flushInserts();
            flushUpdates();
            flushAttempts();
            flushEvents();
        } finally {
            clear();
        }
    }

    // ---------------------------------------------------------------- run inserts

    private void flushInserts() throws SQLException {
        List<Object[]> rows = new ArrayList<>(inserts.size());
        for (Insert i : inserts) {
            rows.add(Codec.runValues(i.run(), i.rowid(),
                    java.util.Objects.requireNonNullElse(lastSeqs.remove(i.run().id()), 0L)));
        }
        // The primary key finds a stored duplicate without a lookup per run; name it.
        RowChunks.write(conn, Codec.INSERT_RUNS, rows,
                (from, to) -> new IllegalArgumentException("run " + duplicate(inserts.subList(from, to)) + " already exists"));
    }

    private String duplicate(List<Insert> chunk) throws SQLException {
        PreparedStatement ps = conn.ps("SELECT 1 FROM runs WHERE id = ?");
        for (Insert i : chunk) {
            ps.setString(1, i.run().id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return i.run().id();
                }
            }
        }
        return chunk.getFirst().run().id();
    }

    // ---------------------------------------------------------------- run updates

    private void flushUpdates() throws SQLException {
        // One statement shape per changed-columns mask and way of finding the rows (rowid or id).
        Map<RowChunks.Shape, List<Object[]>> byShape = new HashMap<>();
        for (Map.Entry<String, Update> e : updates.entrySet()) {
            Update u = e.getValue();
            Long lastSeq = lastSeqs.remove(e.getKey());
            int mask = lastSeq == null ? u.mask() : u.mask() | Codec.JOURNAL_MASK;
            byShape.computeIfAbsent(Codec.updateShape(mask, u.rowid() != 0), m -> new ArrayList<>()).add(
                    Codec.changedValues(new Codec.RowChange(e.getKey(), u.rowid(), mask, u.after(), u.attempt(),
                            lastSeq == null ? 0 : lastSeq)));
        }
        // Runs whose events were journaled without a change of their row (after an earlier flush, or none).
        for (Map.Entry<String, Long> e : lastSeqs.entrySet()) {
            byShape.computeIfAbsent(Codec.updateShape(Codec.JOURNAL_MASK, false), m -> new ArrayList<>()).add(
                    Codec.changedValues(new Codec.RowChange(e.getKey(), 0, Codec.JOURNAL_MASK, null, null, e.getValue())));
        }
        lastSeqs.clear();
        for (Map.Entry<RowChunks.Shape, List<Object[]>> e : byShape.entrySet()) {
            RowChunks.write(conn, e.getKey(), e.getValue(), null);
        }
    }

    // ---------------------------------------------------------------- attempts

    private void flushAttempts() throws SQLException {
        List<Object[]> rows = new ArrayList<>(attempts.size());
        for (Attempt a : attempts) {
            rows.add(Codec.attemptValues(a));
        }
        RowChunks.write(conn, Codec.INSERT_ATTEMPTS, rows, null);
    }

    // ---------------------------------------------------------------- journal

    private void flushEvents() throws SQLException {
        List<Object[]> rows = new ArrayList<>(events.size());
        for (Chained e : events) {
            rows.add(Codec.eventValues(e.event(), e.prevSeq()));
        }
        RowChunks.write(conn, Codec.INSERT_EVENTS, rows, null);
    }
}
