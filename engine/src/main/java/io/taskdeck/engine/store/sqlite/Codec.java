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

    /** What a run insert binds per row: its columns, then the seq of its last journal event (schema V4). */
    static final int INSERT_COLUMN_COUNT = RUN_COLUMN_COUNT + 1;
    static final String INSERT_RUN = "INSERT INTO runs (" + RUN_COLUMNS + ", last_seq) VALUES ("
            + "?, ".repeat(INSERT_COLUMN_COUNT - 1) + "?)";

    /** The columns a run's change may touch, in the order {@link #bindChanged} binds them. */
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
    private static final java.util.concurrent.ConcurrentHashMap<Long, String> MULTI_UPDATES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.concurrent.ConcurrentHashMap<Integer, String> UPDATES = new java.util.concurrent.ConcurrentHashMap<>();

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

    static String updateSql(int mask) {
        return UPDATES.computeIfAbsent(mask, m -> {
            StringBuilder sql = new StringBuilder("UPDATE runs SET ");
            boolean first = true;
            for (int i = 0; i < MUTABLE.length; i++) {
                if ((m & (1 << i)) != 0) {
                    sql.append(first ? "" : ", ").append(MUTABLE[i]).append(" = ?");
                    first = false;
                }
            }
            return sql.append(" WHERE id = ?").toString();
        });
    }

    /**
     * The same change for {@code rows} runs in one statement: the new values come as a VALUES
     * list (id first, then the changed columns in MUTABLE order) joined to the runs by id.
     */
    static String updateManySql(int mask, int rows) {
        return MULTI_UPDATES.computeIfAbsent(((long) mask << 16) | rows, k -> {
            StringBuilder sql = new StringBuilder("UPDATE runs SET ");
            int column = 2;
            for (int i = 0; i < MUTABLE.length; i++) {
                if ((mask & (1 << i)) != 0) {
                    sql.append(column == 2 ? "" : ", ").append(MUTABLE[i]).append(" = v.column").append(column++);
                }
            }
            String row = "(" + "?, ".repeat(column - 2) + "?)";
            sql.append(" FROM (VALUES ").append(row).append((", " + row).repeat(rows - 1))
                    .append(") AS v WHERE runs.id = v.column1");
            return sql.toString();
        });
    }

    /** A run's row change: the changed columns of its new snapshot and the seq of its last journal event. */
    record RowChange(String id, int mask, Run after, OpenRuns.OpenAttempt attempt, long lastSeq) {
    }

    /** Binds the changed columns (per its mask), then the run's id: for {@link #updateSql}. */
    static void bindChanged(PreparedStatement ps, RowChange change) throws SQLException {
        int i = bindColumns(ps, change, 1);
        ps.setString(i, change.id());
    }

    /** Binds one VALUES row of {@link #updateManySql}: the id, then the changed columns, after {@code offset} parameters. */
    static void bindChanged(PreparedStatement ps, RowChange change, int offset) throws SQLException {
        ps.setString(offset + 1, change.id());
        bindColumns(ps, change, offset + 2);
    }

    private static int bindColumns(PreparedStatement ps, RowChange change, int first) throws SQLException {
        Run r = change.after();
        OpenRuns.OpenAttempt attempt = change.attempt();
        int mask = change.mask();
        int i = first;
        RunError error = r == null ? null : r.error();
        for (int c = 0; c < MUTABLE.length; c++) {
            if ((mask & (1 << c)) == 0) {
                continue;
            }
            switch (c) {
                case 0 -> ps.setString(i++, r.queue());
                case 1 -> ps.setString(i++, r.status().name());
                case 2 -> ps.setString(i++, r.payload());
                case 3 -> ps.setString(i++, r.output());
                case 4 -> ps.setString(i++, error == null ? null : error.type());
                case 5 -> ps.setString(i++, error == null ? null : error.message());
                case 6 -> ps.setString(i++, error == null ? null : error.stackTrace());
                case 7 -> ps.setString(i++, r.metadata());
                case 8 -> setInstant(ps, i++, r.runAt());
                case 9 -> setInstant(ps, i++, r.startedAt());
                case 10 -> setInstant(ps, i++, r.completedAt());
                case 11 -> setInstant(ps, i++, r.updatedAt());
                case 12 -> ps.setInt(i++, r.attempts());
                case 13 -> ps.setInt(i++, r.maxAttempts());
                case 14 -> ps.setString(i++, r.nodeId());
                case 15 -> setInstant(ps, i++, r.leaseUntil());
                case 16 -> ps.setString(i++, r.deadLetter().name());
                case 17 -> ps.setString(i++, r.fingerprint());
                case 18 -> setInstant(ps, i++, attempt == null ? null : attempt.startedAt());
                case 19 -> {
                    if (attempt == null) {
                        ps.setNull(i++, Types.INTEGER);
                    } else {
                        ps.setLong(i++, attempt.waitMs());
                    }
                }
                case JOURNAL_COLUMN -> ps.setLong(i++, change.lastSeq());
                case 21 -> ps.setString(i++, attempt == null ? null : attempt.nodeId());
                case 22 -> ps.setString(i++, attempt == null ? null : name(attempt.outcome()));
                default -> throw new IllegalStateException("column " + c);
            }
        }
        return i;
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

    static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
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

    /**
     * Binds every column of a run, then the seq of its last journal event (0 for none), after
     * {@code offset} parameters: one row of the multi-row {@link #INSERT_RUN}.
     */
    static void bindRun(PreparedStatement ps, Run r, long lastSeq, int offset) throws SQLException {
        int i = offset + 2;
        ps.setString(offset + 1, r.id());
        ps.setString(i++, r.taskId());
        ps.setString(i++, r.queue());
        ps.setString(i++, r.status().name());
        ps.setString(i++, r.payload());
        ps.setString(i++, r.output());
        RunError error = r.error();
        ps.setString(i++, error == null ? null : error.type());
        ps.setString(i++, error == null ? null : error.message());
        ps.setString(i++, error == null ? null : error.stackTrace());
        ps.setString(i++, r.metadata());
        ps.setString(i++, tagsJson(r.tags()));
        ps.setString(i++, r.idempotencyKey());
        setInstant(ps, i++, r.idempotencyKeyExpiresAt());
        ps.setString(i++, r.concurrencyKey());
        ps.setInt(i++, r.priority());
        ps.setLong(i++, r.orderKey());
        setInstant(ps, i++, r.createdAt());
        setInstant(ps, i++, r.runAt());
        setInstant(ps, i++, r.expiresAt());
        setInstant(ps, i++, r.startedAt());
        setInstant(ps, i++, r.completedAt());
        setInstant(ps, i++, r.updatedAt());
        ps.setInt(i++, r.attempts());
        ps.setInt(i++, r.maxAttempts());
        ps.setString(i++, r.parentId());
        ps.setString(i++, r.rootId());
        ps.setString(i++, r.batchId());
        ps.setString(i++, r.nodeId());
        setInstant(ps, i++, r.leaseUntil());
        ps.setString(i++, r.deadLetter().name());
        ps.setString(i++, r.fingerprint());
        setSeq(ps, i, lastSeq);
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

    /** Binds every column of an attempt, in ATTEMPT_COLUMNS order. */
    static void bindAttempt(PreparedStatement ps, Attempt a) throws SQLException {
        bindAttempt(ps, a, 0);
    }

    /** Binds every column of an attempt after {@code offset} parameters. */
    static void bindAttempt(PreparedStatement ps, Attempt a, int offset) throws SQLException {
        ps.setString(offset + 1, a.runId());
        ps.setInt(offset + 2, a.number());
        ps.setString(offset + 3, a.taskId());
        ps.setString(offset + 4, a.queue());
        ps.setString(offset + 5, a.nodeId());
        ps.setLong(offset + 6, a.waitMs());
        setInstant(ps, offset + 7, a.startedAt());
        setInstant(ps, offset + 8, a.endedAt());
        ps.setString(offset + 9, a.outcome().name());
        ps.setString(offset + 10, a.error() == null ? null : a.error().type());
        ps.setString(offset + 11, a.error() == null ? null : a.error().message());
        ps.setString(offset + 12, a.error() == null ? null : a.error().stackTrace());
    }

    /**
     * What a journal insert binds per row: the event's columns, then the seq of the run's event
     * before it (schema V4; NULL for a run's first event and for an event of no run).
     */
    static final String JOURNAL_INSERT_COLUMNS = JOURNAL_COLUMNS + ", prev_seq";
    static final int JOURNAL_INSERT_COLUMN_COUNT = JOURNAL_INSERT_COLUMNS.split(", ").length;

    /** Binds every column of a journal event and its run's previous seq (0 for none), after {@code offset} parameters. */
    static void bindEvent(PreparedStatement ps, JournalEvent e, long prevSeq, int offset) throws SQLException {
        ps.setLong(offset + 1, e.seq());
        setInstant(ps, offset + 2, e.at());
        ps.setString(offset + 3, e.kind().name());
        ps.setString(offset + 4, e.runId());
        ps.setString(offset + 5, e.taskId());
        ps.setString(offset + 6, e.queue());
        ps.setString(offset + 7, name(e.from()));
        ps.setString(offset + 8, name(e.to()));
        ps.setInt(offset + 9, e.attempt());
        ps.setString(offset + 10, e.detail());
        setSeq(ps, offset + 11, prevSeq);
    }

    /** A journal seq, 0 (none) as NULL. */
    private static void setSeq(PreparedStatement ps, int i, long seq) throws SQLException {
        if (seq == 0) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setLong(i, seq);
        }
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
