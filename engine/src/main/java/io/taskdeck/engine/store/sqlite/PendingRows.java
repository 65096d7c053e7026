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
 * merge into one), then attempts, then journal events.
 *
 * <p>A run's events are chained (schema V4): each journal row carries the seq of the run's event
 * before it, and the run's row the seq of its last event, set with the insert or by the run's
 * update (an update of that column alone when nothing else changed). Both are one integer per
 * row however many events the run has, and the journal needs no index by run.
 */
final class PendingRows {

    /** Rows per statement: a few statement shapes, each prepared once, used largest first. */
    private static final int[] CHUNKS = {64, 16, 4, 1};

    /** A run's row change: the columns that differ (a {@link Codec} mask) and the row's new values. */
    private record Update(int mask, Run after, OpenAttempt attempt) {
    }

    /** A journal event and the seq of its run's event before it (0 for none). */
    private record Chained(JournalEvent event, long prevSeq) {
    }

    private final Conn conn;
    private final ArrayList<Run> inserts = new ArrayList<>();
    private final LinkedHashMap<String, Update> updates = new LinkedHashMap<>();
    private final ArrayList<Attempt> attempts = new ArrayList<>();
    private final ArrayList<Chained> events = new ArrayList<>();
    /**
     * Per run: the seq of the last event journaled for it since the last flush; 0 for a run
     * inserted since then that has none yet.
     */
    private final HashMap<String, Long> lastSeqs = new HashMap<>();

    PendingRows(Conn conn) {
        this.conn = conn;
    }

    void insert(Run run) {
        inserts.add(run);
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
        updates.put(after.id(), new Update(mask, after, attempt));
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

    private static final String[] INSERT_RUNS = shapes(n -> Codec.INSERT_RUN
            + (", (" + "?, ".repeat(Codec.INSERT_COLUMN_COUNT - 1) + "?)").repeat(n - 1));

    private void flushInserts() throws SQLException {
        Binder<Run> bind = (ps, r, offset) -> Codec.bindRun(ps, r,
                java.util.Objects.requireNonNullElse(lastSeqs.remove(r.id()), 0L), offset);
        writeChunks(inserts, INSERT_RUNS, Codec.INSERT_COLUMN_COUNT, bind, chunk -> {
            // The primary key finds a stored duplicate without a lookup per run; name it.
            return new IllegalArgumentException("run " + duplicate(chunk) + " already exists");
        });
    }

    private String duplicate(List<Run> chunk) throws SQLException {
        PreparedStatement ps = conn.ps("SELECT 1 FROM runs WHERE id = ?");
        for (Run r : chunk) {
            ps.setString(1, r.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return r.id();
                }
            }
        }
        return chunk.getFirst().id();
    }

    // ---------------------------------------------------------------- run updates

    private void flushUpdates() throws SQLException {
        Map<Integer, List<Codec.RowChange>> byMask = new HashMap<>();
        for (Map.Entry<String, Update> e : updates.entrySet()) {
            Update u = e.getValue();
            Long lastSeq = lastSeqs.remove(e.getKey());
            int mask = lastSeq == null ? u.mask() : u.mask() | Codec.JOURNAL_MASK;
            byMask.computeIfAbsent(mask, m -> new ArrayList<>())
                    .add(new Codec.RowChange(e.getKey(), mask, u.after(), u.attempt(), lastSeq == null ? 0 : lastSeq));
        }
        // Runs whose events were journaled without a change of their row (after an earlier flush, or none).
        for (Map.Entry<String, Long> e : lastSeqs.entrySet()) {
            byMask.computeIfAbsent(Codec.JOURNAL_MASK, m -> new ArrayList<>())
                    .add(new Codec.RowChange(e.getKey(), Codec.JOURNAL_MASK, null, null, e.getValue()));
        }
        lastSeqs.clear();
        for (Map.Entry<Integer, List<Codec.RowChange>> e : byMask.entrySet()) {
            int mask = e.getKey();
            List<Codec.RowChange> list = e.getValue();
            int columns = Integer.bitCount(mask) + 1;
            for (int from = 0; from < list.size(); ) {
                int shape = shapeFor(list.size() - from);
                int n = CHUNKS[shape];
                PreparedStatement ps;
                if (n == 1) {
                    ps = conn.ps(Codec.updateSql(mask));
                    Codec.bindChanged(ps, list.get(from));
                } else {
                    ps = conn.ps(Codec.updateManySql(mask, n));
                    for (int i = 0; i < n; i++) {
                        Codec.bindChanged(ps, list.get(from + i), i * columns);
                    }
                }
                ps.executeUpdate();
                from += n;
            }
        }
    }

    // ---------------------------------------------------------------- attempts

    private static final String ATTEMPT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String[] INSERT_ATTEMPTS = shapes(n -> "INSERT INTO attempts (" + Codec.ATTEMPT_COLUMNS + ") VALUES "
            + ATTEMPT_ROW + (", " + ATTEMPT_ROW).repeat(n - 1)
            + " ON CONFLICT (run_id, number) DO UPDATE SET "
            + "ended_at = excluded.ended_at, outcome = excluded.outcome, error_type = excluded.error_type, "
            + "error_message = excluded.error_message, error_stack = excluded.error_stack "
            + "WHERE attempts.outcome = 'RUNNING'");

    private void flushAttempts() throws SQLException {
        writeChunks(attempts, INSERT_ATTEMPTS, 12, Codec::bindAttempt, null);
    }

    // ---------------------------------------------------------------- journal

    private static final String EVENT_ROW = "(" + "?, ".repeat(Codec.JOURNAL_INSERT_COLUMN_COUNT - 1) + "?)";
    private static final String[] INSERT_EVENTS = shapes(n -> "INSERT INTO journal (" + Codec.JOURNAL_INSERT_COLUMNS
            + ") VALUES " + EVENT_ROW + (", " + EVENT_ROW).repeat(n - 1));

    private void flushEvents() throws SQLException {
        writeChunks(events, INSERT_EVENTS, Codec.JOURNAL_INSERT_COLUMN_COUNT,
                (ps, e, offset) -> Codec.bindEvent(ps, e.event(), e.prevSeq(), offset), null);
    }

    // ---------------------------------------------------------------- chunks

    /** Binds one row of a multi-row statement after {@code offset} parameters. */
    @FunctionalInterface
    private interface Binder<T> {
        void bind(PreparedStatement ps, T row, int offset) throws SQLException;
    }

    /** Names what a chunk's primary key violation means, for the caller. */
    @FunctionalInterface
    private interface OnDuplicate<T> {
        RuntimeException describe(List<T> chunk) throws SQLException;
    }

    /** Writes rows with the multi-row statement shapes {@code sql} (one per CHUNKS size), largest first. */
    private <T> void writeChunks(List<T> rows, String[] sql, int columns, Binder<T> binder, OnDuplicate<T> onDuplicate)
            throws SQLException {
        for (int from = 0; from < rows.size(); ) {
            int shape = shapeFor(rows.size() - from);
            int n = CHUNKS[shape];
            PreparedStatement ps = conn.ps(sql[shape]);
            for (int i = 0; i < n; i++) {
                binder.bind(ps, rows.get(from + i), i * columns);
            }
            try {
                ps.executeUpdate();
            } catch (SQLException e) {
                if (onDuplicate != null && Failures.isPrimaryKeyViolation(e)) {
                    RuntimeException described = onDuplicate.describe(rows.subList(from, from + n));
                    described.initCause(e);
                    throw described;
                }
                throw e;
            }
            from += n;
        }
    }

    // ---------------------------------------------------------------- shapes

    private static int shapeFor(int left) {
        int shape = 0;
        while (CHUNKS[shape] > left) {
            shape++;
        }
        return shape;
    }

    private static String[] shapes(java.util.function.IntFunction<String> sql) {
        String[] out = new String[CHUNKS.length];
        for (int i = 0; i < CHUNKS.length; i++) {
            out[i] = sql.apply(CHUNKS[i]);
        }
        return out;
    }
}
