package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.DeadLetterState;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunStatus;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Mapping between {@link Run} / {@link Attempt} and their rows. */
public final class RunRows {

    /** The columns a run is read from, for {@code SELECT} lists. */
    public static final String COLUMNS = "id, task_id, queue, status, payload, output, error_type, error_message, "
            + "error_stack, metadata, tags, idempotency_key, idempotency_key_expires_at, concurrency_key, priority, "
            + "created_at, run_at, expires_at, started_at, completed_at, updated_at, attempts, max_attempts, "
            + "parent_id, root_id, batch_id, node_id, lease_until, dead_letter, fingerprint";

    public static final String INSERT = "INSERT INTO td_run (id, task_id, queue, status, payload, output, error_type, "
            + "error_message, error_stack, metadata, tags, idempotency_key, idempotency_key_expires_at, "
            + "idempotency_live, concurrency_key, priority, order_key, created_at, run_at, expires_at, started_at, "
            + "completed_at, updated_at, attempts, max_attempts, parent_id, root_id, batch_id, node_id, lease_until, "
            + "dead_letter, fingerprint) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    /** Every column a transition may change except the payload (rarely changed, often large). */
    public static final String UPDATE = "UPDATE td_run SET queue = ?, status = ?, output = ?, error_type = ?, "
            + "error_message = ?, error_stack = ?, metadata = ?, run_at = ?, started_at = ?, completed_at = ?, "
            + "updated_at = ?, attempts = ?, max_attempts = ?, node_id = ?, lease_until = ?, dead_letter = ?, "
            + "fingerprint = ? WHERE id = ?";

    public static final String INSERT_ATTEMPT = "INSERT INTO td_attempt (run_id, number, task_id, queue, node_id, "
            + "wait_ms, started_at, ended_at, outcome, error_type, error_message, error_stack) "
            + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";

    public static final String CLOSE_ATTEMPT = "UPDATE td_attempt SET ended_at = ?, outcome = ?, error_type = ?, "
            + "error_message = ?, error_stack = ? WHERE run_id = ? AND number = ? AND outcome = 'RUNNING'";

    public static final String ATTEMPT_COLUMNS = "run_id, number, task_id, queue, node_id, wait_ms, started_at, "
            + "ended_at, outcome, error_type, error_message, error_stack";

    private RunRows() {
    }

    public static OffsetDateTime ts(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static void setTs(PreparedStatement ps, int index, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, ts(at));
        }
    }

    public static Run read(ResultSet rs) throws SQLException {
        String errorType = rs.getString("error_type");
        Array tags = rs.getArray("tags");
        return new Run(
                rs.getString("id"),
                rs.getString("task_id"),
                rs.getString("queue"),
                RunStatus.valueOf(rs.getString("status")),
                rs.getString("payload"),
                rs.getString("output"),
                errorType == null ? null
                        : new RunError(errorType, rs.getString("error_message"), rs.getString("error_stack")),
                rs.getString("metadata"),
                tags == null ? List.of() : Arrays.asList((String[]) tags.getArray()),
                rs.getString("idempotency_key"),
                instant(rs, "idempotency_key_expires_at"),
                rs.getString("concurrency_key"),
                rs.getInt("priority"),
                instant(rs, "created_at"),
                instant(rs, "run_at"),
                instant(rs, "expires_at"),
                instant(rs, "started_at"),
                instant(rs, "completed_at"),
                instant(rs, "updated_at"),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                rs.getString("parent_id"),
                rs.getString("root_id"),
                rs.getString("batch_id"),
                rs.getString("node_id"),
                instant(rs, "lease_until"),
                DeadLetterState.valueOf(rs.getString("dead_letter")),
                rs.getString("fingerprint"));
    }

    public static List<Run> readAll(ResultSet rs) throws SQLException {
        List<Run> out = new ArrayList<>();
        while (rs.next()) {
            out.add(read(rs));
        }
        return out;
    }

    /** Binds {@link #INSERT}'s parameters. */
    public static void bindInsert(Connection c, PreparedStatement ps, Run r) throws SQLException {
        int i = 0;
        ps.setString(++i, r.id());
        ps.setString(++i, r.taskId());
        ps.setString(++i, r.queue());
        ps.setString(++i, r.status().name());
        ps.setString(++i, r.payload());
        ps.setString(++i, r.output());
        RunError e = r.error();
        ps.setString(++i, e == null ? null : e.type());
        ps.setString(++i, e == null ? null : e.message());
        ps.setString(++i, e == null ? null : e.stackTrace());
        ps.setString(++i, r.metadata());
        ps.setArray(++i, c.createArrayOf("text", r.tags().toArray()));
        ps.setString(++i, r.idempotencyKey());
        setTs(ps, ++i, r.idempotencyKeyExpiresAt());
        ps.setBoolean(++i, r.idempotencyKey() != null);
        ps.setString(++i, r.concurrencyKey());
        ps.setInt(++i, r.priority());
        ps.setLong(++i, r.orderKey());
        setTs(ps, ++i, r.createdAt());
        setTs(ps, ++i, r.runAt());
        setTs(ps, ++i, r.expiresAt());
        setTs(ps, ++i, r.startedAt());
        setTs(ps, ++i, r.completedAt());
        setTs(ps, ++i, r.updatedAt());
        ps.setInt(++i, r.attempts());
        ps.setInt(++i, r.maxAttempts());
        ps.setString(++i, r.parentId());
        ps.setString(++i, r.rootId());
        ps.setString(++i, r.batchId());
        ps.setString(++i, r.nodeId());
        setTs(ps, ++i, r.leaseUntil());
        ps.setString(++i, r.deadLetter().name());
        ps.setString(++i, r.fingerprint());
    }

    /** Binds {@link #UPDATE}'s parameters. */
    public static void bindUpdate(PreparedStatement ps, Run r) throws SQLException {
        int i = 0;
        ps.setString(++i, r.queue());
        ps.setString(++i, r.status().name());
        ps.setString(++i, r.output());
        RunError e = r.error();
        ps.setString(++i, e == null ? null : e.type());
        ps.setString(++i, e == null ? null : e.message());
        ps.setString(++i, e == null ? null : e.stackTrace());
        ps.setString(++i, r.metadata());
        setTs(ps, ++i, r.runAt());
        setTs(ps, ++i, r.startedAt());
        setTs(ps, ++i, r.completedAt());
        setTs(ps, ++i, r.updatedAt());
        ps.setInt(++i, r.attempts());
        ps.setInt(++i, r.maxAttempts());
        ps.setString(++i, r.nodeId());
        setTs(ps, ++i, r.leaseUntil());
        ps.setString(++i, r.deadLetter().name());
        ps.setString(++i, r.fingerprint());
        ps.setString(++i, r.id());
    }

    public static void bindAttempt(PreparedStatement ps, Attempt a) throws SQLException {
        int i = 0;
        ps.setString(++i, a.runId());
        ps.setInt(++i, a.number());
        ps.setString(++i, a.taskId());
        ps.setString(++i, a.queue());
        ps.setString(++i, a.nodeId());
        ps.setLong(++i, a.waitMs());
        setTs(ps, ++i, a.startedAt());
        setTs(ps, ++i, a.endedAt());
        ps.setString(++i, a.outcome().name());
        RunError e = a.error();
        ps.setString(++i, e == null ? null : e.type());
        ps.setString(++i, e == null ? null : e.message());
        ps.setString(++i, e == null ? null : e.stackTrace());
    }

    public static void bindClose(PreparedStatement ps, String runId, int number, Instant at, AttemptOutcome outcome,
                                 RunError error) throws SQLException {
        int i = 0;
        setTs(ps, ++i, at);
        ps.setString(++i, outcome.name());
        ps.setString(++i, error == null ? null : error.type());
        ps.setString(++i, error == null ? null : error.message());
        ps.setString(++i, error == null ? null : error.stackTrace());
        ps.setString(++i, runId);
        ps.setInt(++i, number);
    }

    public static Attempt readAttempt(ResultSet rs) throws SQLException {
        String errorType = rs.getString("error_type");
        return new Attempt(rs.getString("run_id"), rs.getInt("number"), rs.getString("task_id"), rs.getString("queue"),
                rs.getString("node_id"), rs.getLong("wait_ms"), instant(rs, "started_at"), instant(rs, "ended_at"),
                AttemptOutcome.valueOf(rs.getString("outcome")),
                errorType == null ? null
                        : new RunError(errorType, rs.getString("error_message"), rs.getString("error_stack")));
    }
}
