package io.taskdeck.engine.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.DeadLetterState;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.LogLine;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunStatus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Rows to records and back. Instants are stored as nanoseconds since the epoch. */
public final class Codec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    static final String RUN_COLUMNS = "id, task_id, queue, status, payload, output, error_type, error_message, "
            + "error_stack, metadata, tags, idempotency_key, idempotency_key_expires_at, concurrency_key, priority, "
            + "order_key, created_at, run_at, expires_at, started_at, completed_at, updated_at, attempts, "
            + "max_attempts, parent_id, root_id, batch_id, node_id, lease_until, dead_letter, fingerprint";
    private static final String[] RUN_COLUMN_NAMES = RUN_COLUMNS.split(", ");
    static final int RUN_COLUMN_COUNT = RUN_COLUMN_NAMES.length;

    /** The columns a run's change may touch, in the order {@link #changedValues} lists them. */
    private static final String[] MUTABLE = {"queue", "status", "payload", "output", "error_type", "error_message",
            "error_stack", "metadata", "run_at", "started_at", "completed_at", "updated_at", "attempts", "max_attempts",
            "node_id", "lease_until", "dead_letter", "fingerprint", "attempt_started_at", "attempt_wait_ms",
            "last_seq", "attempt_node_id", "attempt_outcome"};
    /** The bits of the attempt a run holds in its row (schema V2); {@link #changed} never sets them. */
    private static final int ATTEMPT_MASK = 3 << 18;
    /** The bits of how the attempt in a run's row ended (schema V4); {@link #changed} never sets them. */
    private static final int ATTEMPT_END_MASK = 3 << 21;
    /** The bit of the seq of the run's last journal event (schema V4); {@link #changed} never sets it. */
    static final int JOURNAL_MASK = 1 << 20;
    private static final int JOURNAL_COLUMN = 20;

    /**
     * Which mutable columns differ between two snapshots of a run, as a bit mask over MUTABLE.
     * Updating only those keeps SQLite from rewriting index entries of unchanged columns.
     */
    static int changed(Run a, Run b) {
        int m = 0;
        if (!a.queue().equals(b.queue())) m |= 1;
        if (a.status() != b.status()) m |= 1 << 1;
        if (!a.payload().equals(b.payload())) m |= 1 << 2;
        if (!java.util.Objects.equals(a.output(), b.output())) m |= 1 << 3;
        if (!java.util.Objects.equals(a.error(), b.error())) m |= 7 << 4;
        if (!java.util.Objects.equals(a.metadata(), b.metadata())) m |= 1 << 7;
        if (!java.util.Objects.equals(a.runAt(), b.runAt())) m |= 1 << 8;
        if (!java.util.Objects.equals(a.startedAt(), b.startedAt())) m |= 1 << 9;
        if (!java.util.Objects.equals(a.completedAt(), b.completedAt())) m |= 1 << 10;
        if (!java.util.Objects.equals(a.updatedAt(), b.updatedAt())) m |= 1 << 11;
        if (a.attempts() != b.attempts()) m |= 1 << 12;
        if (a.maxAttempts() != b.maxAttempts()) m |= 1 << 13;
        if (!java.util.Objects.equals(a.nodeId(), b.nodeId())) m |= 1 << 14;
        if (!java.util.Objects.equals(a.leaseUntil(), b.leaseUntil())) m |= 1 << 15;
        if (a.deadLetter() != b.deadLetter()) m |= 1 << 16;
        if (!java.util.Objects.equals(a.fingerprint(), b.fingerprint())) m |= 1 << 17;
        return m;
    }

    /** Which attempt columns of a run's row differ between two values of them (null: all empty). */
    static int changed(OpenRuns.OpenAttempt a, OpenRuns.OpenAttempt b) {
        int m = 0;
        if (!java.util.Objects.equals(a == null ? null : a.startedAt(), b == null ? null : b.startedAt())
                || (a == null ? 0 : a.waitMs()) != (b == null ? 0 : b.waitMs())) {
            m |= ATTEMPT_MASK;
        }
        if (!java.util.Objects.equals(a == null ? null : a.nodeId(), b == null ? null : b.nodeId())
                || (a == null ? null : a.outcome()) != (b == null ? null : b.outcome())) {
            m |= ATTEMPT_END_MASK;
        }
        return m;
    }

    /** The attempt columns of a run's row, in {@link #readOpenAttempt} order. */
    static final String OPEN_ATTEMPT_COLUMNS = "attempt_started_at, attempt_wait_ms, attempt_node_id, attempt_outcome";

    /** The attempt columns of a run's row from {@code first} on; null when they are empty. */
    static OpenRuns.OpenAttempt readOpenAttempt(ResultSet rs, int first) throws SQLException {
        Instant started = getInstant(rs, first);
        if (started == null) {
            return null;
        }
        String outcome = rs.getString(first + 3);
        return new OpenRuns.OpenAttempt(started, rs.getLong(first + 1), rs.getString(first + 2),
                outcome == null ? null : AttemptOutcome.valueOf(outcome));
    }

    /**
     * The update of the runs whose row changes in the columns of {@code mask}: one row is one
     * {@code UPDATE ... WHERE id = ?}, several rows one {@code UPDATE ... FROM (VALUES ...)} joined
     * by rowid or id. Its rows are {@link #changedValues}: the rowid or id, then the changed columns
     * in MUTABLE order. Shapes are equal by value, so an equal one finds its cached statement.
     */
    static RowChunks.Shape updateShape(int mask, boolean byRowid) {
        return new UpdateShape(mask, byRowid);
    }

    /**
     * See {@link #updateShape}; a column the chunk shares is set from its parameter, not from the
     * VALUES row. Rows are found by rowid when the writer knows it (the table's own B-tree: about a
     * quarter of an update's cost less than through the id index), else by id.
     */
    private record UpdateShape(int mask, boolean byRowid) implements RowChunks.Shape {
        @Override
        public int width() {
            return 1 + Integer.bitCount(mask);
        }

        @Override
        public long neverShared() {
            return 1;  // the id: the rows are matched by it
        }

        @Override
        public String sql(int rows, RowChunks.Columns columns) {
            StringBuilder sql = new StringBuilder("UPDATE runs SET ");
            int c = 1;
            int own = 1;  // the VALUES row's columns: the id (column1), then the changed columns not shared
            for (int i = 0; i < MUTABLE.length; i++) {
                if ((mask & (1 << i)) == 0) {
                    continue;
                }
                sql.append(c == 1 ? "" : ", ").append(MUTABLE[i]).append(" = ");
                if (rows == 1 || columns.shared(c) || columns.nulled(c)) {
                    sql.append(columns.ref(0, c));
                } else {
                    sql.append("v.column").append(++own);
                }
                c++;
            }
            String key = byRowid ? "rowid" : "id";
            if (rows == 1) {
                return sql.append(" WHERE ").append(key).append(" = ").append(columns.ref(0, 0)).toString();
            }
            sql.append(" FROM (VALUES ");
            for (int r = 0; r < rows; r++) {
                sql.append(r == 0 ? "(" : ", (").append(columns.ref(r, 0));
                for (int k = 1; k < c; k++) {
                    if (!columns.shared(k) && !columns.nulled(k)) {
                        sql.append(", ").append(columns.ref(r, k));
                    }
                }
                sql.append(')');
            }
            return sql.append(") AS v WHERE runs.").append(key).append(" = v.column1").toString();
        }
    }

    /**
     * A run's row change: the row (its rowid, 0 when not known, then by its id), the changed columns
     * of its new snapshot and the seq of its last journal event.
     */
    record RowChange(String id, long rowid, int mask, Run after, OpenRuns.OpenAttempt attempt, long lastSeq) {
    }

    /**
     * A row of {@link #updateShape}: the run's rowid (or its id when the rowid is not known), then
     * its changed columns (per its mask) in MUTABLE order.
     */
    static Object[] changedValues(RowChange change) {
        Run r = change.after();
        OpenRuns.OpenAttempt attempt = change.attempt();
        int mask = change.mask();
        Object[] v = new Object[1 + Integer.bitCount(mask)];
        v[0] = change.rowid() != 0 ? (Object) change.rowid() : change.id();
        int i = 1;
        RunError error = r == null ? null : r.error();
        for (int c = 0; c < MUTABLE.length; c++) {
            if ((mask & (1 << c)) == 0) {
                continue;
            }
            v[i++] = switch (c) {
                case 0 -> r.queue();
                case 1 -> r.status().name();
                case 2 -> r.payload();
                case 3 -> r.output();
                case 4 -> error == null ? null : error.type();
                case 5 -> error == null ? null : error.message();
                case 6 -> error == null ? null : error.stackTrace();
                case 7 -> r.metadata();
                case 8 -> nanosOrNull(r.runAt());
                case 9 -> nanosOrNull(r.startedAt());
                case 10 -> nanosOrNull(r.completedAt());
                case 11 -> nanosOrNull(r.updatedAt());
                case 12 -> r.attempts();
                case 13 -> r.maxAttempts();
                case 14 -> r.nodeId();
                case 15 -> nanosOrNull(r.leaseUntil());
                case 16 -> r.deadLetter().name();
                case 17 -> r.fingerprint();
                case 18 -> attempt == null ? null : nanosOrNull(attempt.startedAt());
                case 19 -> attempt == null ? null : (Object) attempt.waitMs();
                case JOURNAL_COLUMN -> change.lastSeq();
                case 21 -> attempt == null ? null : attempt.nodeId();
                case 22 -> attempt == null ? null : name(attempt.outcome());
                default -> throw new IllegalStateException("column " + c);
            };
        }
        return v;
    }

    static final String ATTEMPT_COLUMNS = "run_id, number, task_id, queue, node_id, wait_ms, started_at, ended_at, "
            + "outcome, error_type, error_message, error_stack";
    static final String JOURNAL_COLUMNS = "seq, at, kind, run_id, task_id, queue, from_status, to_status, attempt, detail";

    private Codec() {
    }

    public static long nanos(Instant at) {
        try {
            return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
        } catch (ArithmeticException overflow) {
            return at.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    public static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, nanos(value));
        }
    }

    static Instant getInstant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : instant(v);
    }

    static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    static String tagsJson(List<String> tags) {
        if (tags.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tags could not be written as JSON", e);
        }
    }

    static List<String> tags(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return JSON.readValue(json, STRING_LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored tags are not a JSON array of strings: " + json, e);
        }
    }

    /** A run's insert: the rowid the writer gives it, every column, then the seq of its last journal event (V4). */
    static final RowChunks.Shape INSERT_RUNS = new RowChunks.Insert("runs", "rowid, " + RUN_COLUMNS + ", last_seq", "");

    /**
     * A row of {@link #INSERT_RUNS}: the rowid the writer gave the run, every column of the run,
     * then the seq of its last journal event (0 for none).
     */
    static Object[] runValues(Run r, long rowid, long lastSeq) {
        RunError error = r.error();
        return new Object[]{rowid, r.id(), r.taskId(), r.queue(), r.status().name(), r.payload(), r.output(),
                error == null ? null : error.type(), error == null ? null : error.message(),
                error == null ? null : error.stackTrace(), r.metadata(), tagsJson(r.tags()), r.idempotencyKey(),
                nanosOrNull(r.idempotencyKeyExpiresAt()), r.concurrencyKey(), r.priority(), r.orderKey(),
                nanosOrNull(r.createdAt()), nanosOrNull(r.runAt()), nanosOrNull(r.expiresAt()),
                nanosOrNull(r.startedAt()), nanosOrNull(r.completedAt()), nanosOrNull(r.updatedAt()), r.attempts(),
                r.maxAttempts(), r.parentId(), r.rootId(), r.batchId(), r.nodeId(), nanosOrNull(r.leaseUntil()),
                r.deadLetter().name(), r.fingerprint(), seqOrNull(lastSeq)};
    }

    /** Reads a run from the current row, its columns starting at {@code first} in RUN_COLUMNS order. */
    static Run readRun(ResultSet rs, int first) throws SQLException {
        int i = first;
        String id = rs.getString(i++);
        String taskId = rs.getString(i++);
        String queue = rs.getString(i++);
        RunStatus status = RunStatus.valueOf(rs.getString(i++));
        String payload = rs.getString(i++);
        String output = rs.getString(i++);
        String errorType = rs.getString(i++);
        String errorMessage = rs.getString(i++);
        String errorStack = rs.getString(i++);
        RunError error = errorType == null ? null : new RunError(errorType, errorMessage, errorStack);
        String metadata = rs.getString(i++);
        List<String> tags = tags(rs.getString(i++));
        String idempotencyKey = rs.getString(i++);
        Instant idempotencyKeyExpiresAt = getInstant(rs, i++);
        String concurrencyKey = rs.getString(i++);
        int priority = rs.getInt(i++);
        i++; // order_key is derived
        Instant createdAt = getInstant(rs, i++);
        Instant runAt = getInstant(rs, i++);
        Instant expiresAt = getInstant(rs, i++);
        Instant startedAt = getInstant(rs, i++);
        Instant completedAt = getInstant(rs, i++);
        Instant updatedAt = getInstant(rs, i++);
        int attempts = rs.getInt(i++);
        int maxAttempts = rs.getInt(i++);
        String parentId = rs.getString(i++);
        String rootId = rs.getString(i++);
        String batchId = rs.getString(i++);
        String nodeId = rs.getString(i++);
        Instant leaseUntil = getInstant(rs, i++);
        DeadLetterState deadLetter = DeadLetterState.valueOf(rs.getString(i++));
        String fingerprint = rs.getString(i);
        return new Run(id, taskId, queue, status, payload, output, error, metadata, tags, idempotencyKey,
                idempotencyKeyExpiresAt, concurrencyKey, priority, createdAt, runAt, expiresAt, startedAt,
                completedAt, updatedAt, attempts, maxAttempts, parentId, rootId, batchId, nodeId, leaseUntil,
                deadLetter, fingerprint);
    }

    /**
     * An ended attempt's insert; it ends in place an attempt that an older store left RUNNING
     * (see V2), and never overwrites an ended one.
     */
    static final RowChunks.Shape INSERT_ATTEMPTS = new RowChunks.Insert("attempts", ATTEMPT_COLUMNS,
            " ON CONFLICT (run_id, number) DO UPDATE SET "
                    + "ended_at = excluded.ended_at, outcome = excluded.outcome, error_type = excluded.error_type, "
                    + "error_message = excluded.error_message, error_stack = excluded.error_stack "
                    + "WHERE attempts.outcome = 'RUNNING'");

    /** A row of {@link #INSERT_ATTEMPTS}: every column of an attempt, in ATTEMPT_COLUMNS order. */
    static Object[] attemptValues(Attempt a) {
        RunError error = a.error();
        return new Object[]{a.runId(), a.number(), a.taskId(), a.queue(), a.nodeId(), a.waitMs(),
                nanosOrNull(a.startedAt()), nanosOrNull(a.endedAt()), a.outcome().name(),
                error == null ? null : error.type(), error == null ? null : error.message(),
                error == null ? null : error.stackTrace()};
    }

    /**
     * What a journal insert writes per row: the event's columns, then the seq of the run's event
     * before it (schema V4; NULL for a run's first event and for an event of no run).
     */
    static final String JOURNAL_INSERT_COLUMNS = JOURNAL_COLUMNS + ", prev_seq";

    /** A journal event's insert: see {@link #eventValues}. */
    static final RowChunks.Shape INSERT_EVENTS = new RowChunks.Insert("journal", JOURNAL_INSERT_COLUMNS, "");

    /** A row of {@link #INSERT_EVENTS}: every column of an event, then its run's previous seq (0 for none). */
    static Object[] eventValues(JournalEvent e, long prevSeq) {
        return new Object[]{e.seq(), nanosOrNull(e.at()), e.kind().name(), e.runId(), e.taskId(), e.queue(),
                name(e.from()), name(e.to()), e.attempt(), e.detail(), seqOrNull(prevSeq)};
    }

    /** A journal seq, 0 (none) as null. */
    private static Long seqOrNull(long seq) {
        return seq == 0 ? null : seq;
    }

    /** An instant as nanoseconds since the epoch, null as null. */
    private static Long nanosOrNull(Instant at) {
        return at == null ? null : nanos(at);
    }

    static Attempt readAttempt(ResultSet rs) throws SQLException {
        String errorType = rs.getString(10);
        return new Attempt(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), getInstant(rs, 7), getInstant(rs, 8), AttemptOutcome.valueOf(rs.getString(9)),
                errorType == null ? null : new RunError(errorType, rs.getString(11), rs.getString(12)));
    }

    static JournalEvent readEvent(ResultSet rs) throws SQLException {
        String from = rs.getString(7);
        String to = rs.getString(8);
        return new JournalEvent(rs.getLong(1), getInstant(rs, 2), JournalEvent.Kind.valueOf(rs.getString(3)),
                rs.getString(4), rs.getString(5), rs.getString(6),
                from == null ? null : RunStatus.valueOf(from), to == null ? null : RunStatus.valueOf(to),
                rs.getInt(9), rs.getString(10));
    }

    static LogLine readLog(ResultSet rs) throws SQLException {
        return new LogLine(rs.getString(1), rs.getInt(2), getInstant(rs, 3), LogLine.Level.valueOf(rs.getString(4)),
                rs.getString(5));
    }

    /** Executes a query whose columns start with a run's, and reads every row as a run. */
    static List<Run> readRuns(PreparedStatement ps) throws SQLException {
        List<Run> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(readRun(rs, 1));
            }
        }
        return out;
    }
}
