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

    static final String INSERT_RUN = "INSERT INTO runs (" + RUN_COLUMNS + ") VALUES ("
            + "?, ".repeat(RUN_COLUMN_NAMES.length - 1) + "?)";
    static final String UPDATE_RUN;

    static {
        StringBuilder sql = new StringBuilder("UPDATE runs SET ");
        for (int i = 1; i < RUN_COLUMN_NAMES.length; i++) {
            sql.append(i > 1 ? ", " : "").append(RUN_COLUMN_NAMES[i]).append(" = ?");
        }
        UPDATE_RUN = sql.append(" WHERE id = ?").toString();
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
     * Binds every column of a run: for an insert in {@link #RUN_COLUMNS} order, for
     * {@link #UPDATE_RUN} with the id last.
     */
    static void bindRun(PreparedStatement ps, Run r, boolean forUpdate) throws SQLException {
        int i = forUpdate ? 1 : 2;
        if (!forUpdate) {
            ps.setString(1, r.id());
        }
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
        if (forUpdate) {
            ps.setString(i, r.id());
        }
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
}
