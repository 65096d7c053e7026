package io.taskdeck.engine.store.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.DeadLetterState;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunStatus;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** Mapping between {@link Run} / {@link Attempt} and their rows. */
public final class RunRows {

    /** The columns a run is read from, for {@code SELECT} lists. */
    public static final String COLUMNS = "id, task_id, queue, status, payload, output, error_type, error_message, "
            + "error_stack, metadata, tags, idempotency_key, idempotency_key_expires_at, concurrency_key, priority, "
            + "created_at, run_at, expires_at, started_at, completed_at, updated_at, attempts, max_attempts, "
            + "parent_id, root_id, batch_id, node_id, lease_until, dead_letter, fingerprint";

    public static final String ATTEMPT_COLUMNS = "run_id, number, task_id, queue, node_id, wait_ms, started_at, "
            + "ended_at, outcome, error_type, error_message, error_stack";

    private RunRows() {
    }

    private static final String[] RUN_SPEC = {"id text", "task_id text", "queue text", "status text", "payload text",
        "output text", "error_type text", "error_message text", "error_stack text", "metadata text", "tags text",
        "idempotency_key text", "idempotency_key_expires_at timestamptz", "idempotency_live bool",
        "concurrency_key text", "priority int4", "order_key int8", "created_at timestamptz", "run_at timestamptz",
        "expires_at timestamptz", "started_at timestamptz", "completed_at timestamptz", "updated_at timestamptz",
        "attempts int4", "max_attempts int4", "parent_id text", "root_id text", "batch_id text", "node_id text",
        "lease_until timestamptz", "dead_letter text", "fingerprint text"};

    /** New runs, one statement for the batch; bind with {@link #insertColumns}. Tags travel as a JSON array. */
    public static String bulkInsert(Columns v) {
        return "INSERT INTO td_run (" + INSERT_COLUMNS + ") SELECT " + INSERT_COLUMNS.replace("tags,",
                "CASE WHEN v.tags IS NULL THEN '{}'::text[] ELSE ARRAY(SELECT jsonb_array_elements_text(v.tags::jsonb)) END,")
                + " FROM " + v.from();
    }

    private static final String INSERT_COLUMNS = "id, task_id, queue, status, payload, output, error_type, "
            + "error_message, error_stack, metadata, tags, idempotency_key, idempotency_key_expires_at, "
            + "idempotency_live, concurrency_key, priority, order_key, created_at, run_at, expires_at, started_at, "
            + "completed_at, updated_at, attempts, max_attempts, parent_id, root_id, batch_id, node_id, lease_until, "
            + "dead_letter, fingerprint";

    /** The rows of new runs, for {@link #bulkInsert}. */
    public static Columns insertColumns(List<Run> runs) {
        Columns v = new Columns(RUN_SPEC);
        for (Run r : runs) {
            RunError e = r.error();
            v.row(r.id(), r.taskId(), r.queue(), r.status().name(), r.payload(), r.output(),
                    e == null ? null : e.type(), e == null ? null : e.message(), e == null ? null : e.stackTrace(),
                    r.metadata(), tagsJson(r.tags()), r.idempotencyKey(), r.idempotencyKeyExpiresAt(),
                    r.idempotencyKey() != null, r.concurrencyKey(), r.priority(), r.orderKey(), r.createdAt(),
                    r.runAt(), r.expiresAt(), r.startedAt(), r.completedAt(), r.updatedAt(), r.attempts(),
                    r.maxAttempts(), r.parentId(), r.rootId(), r.batchId(), r.nodeId(), r.leaseUntil(),
                    r.deadLetter().name(), r.fingerprint());
        }
        return v;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String tagsJson(List<String> tags) {
        if (tags.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tags do not serialize to JSON", e);
        }
    }

    /** Every column a transition may change except the payload, for many runs in one statement. */
    public static String bulkUpdate(Columns v) {
        return "UPDATE td_run r SET queue = v.queue, status = v.status, output = v.output, error_type = v.error_type, "
                + "error_message = v.error_message, error_stack = v.error_stack, metadata = v.metadata, run_at = v.run_at, "
                + "started_at = v.started_at, completed_at = v.completed_at, updated_at = v.updated_at, "
                + "attempts = v.attempts, max_attempts = v.max_attempts, node_id = v.node_id, lease_until = v.lease_until, "
                + "dead_letter = v.dead_letter, fingerprint = v.fingerprint FROM " + v.from() + " WHERE r.id = v.id";
    }

    /** The rows for {@link #bulkUpdate}: one per run (the caller keeps the last state of each). */
    public static Columns updateColumns(Collection<Run> runs) {
        Columns v = new Columns("id text", "queue text", "status text", "output text", "error_type text",
                "error_message text", "error_stack text", "metadata text", "run_at timestamptz", "started_at timestamptz",
                "completed_at timestamptz", "updated_at timestamptz", "attempts int4", "max_attempts int4",
                "node_id text", "lease_until timestamptz", "dead_letter text", "fingerprint text");
        for (Run r : runs) {
            RunError e = r.error();
            v.row(r.id(), r.queue(), r.status().name(), r.output(), e == null ? null : e.type(),
                    e == null ? null : e.message(), e == null ? null : e.stackTrace(), r.metadata(), r.runAt(),
                    r.startedAt(), r.completedAt(), r.updatedAt(), r.attempts(), r.maxAttempts(), r.nodeId(),
                    r.leaseUntil(), r.deadLetter().name(), r.fingerprint());
        }
        return v;
    }

    /** New attempt records, one statement. */
    public static String bulkInsertAttempts(Columns v) {
        return "INSERT INTO td_attempt (" + ATTEMPT_COLUMNS + ") SELECT " + ATTEMPT_COLUMNS + " FROM " + v.from();
    }

    public static Columns attemptColumns(List<Attempt> attempts) {
        Columns v = new Columns("run_id text", "number int4", "task_id text", "queue text", "node_id text",
                "wait_ms int8", "started_at timestamptz", "ended_at timestamptz", "outcome text", "error_type text",
                "error_message text", "error_stack text");
        for (Attempt a : attempts) {
            RunError e = a.error();
            v.row(a.runId(), a.number(), a.taskId(), a.queue(), a.nodeId(), a.waitMs(), a.startedAt(), a.endedAt(),
                    a.outcome().name(), e == null ? null : e.type(), e == null ? null : e.message(),
                    e == null ? null : e.stackTrace());
        }
        return v;
    }

    /** Ends the RUNNING attempts named by run and number; rows from {@link #closeColumns}. */
    public static String bulkCloseAttempts(Columns v) {
        return "UPDATE td_attempt a SET ended_at = v.ended_at, outcome = v.outcome, error_type = v.error_type, "
                + "error_message = v.error_message, error_stack = v.error_stack FROM " + v.from()
                + " WHERE a.run_id = v.run_id AND a.number = v.number AND a.outcome = 'RUNNING'";
    }

    public static Columns closeColumns() {
        return new Columns("run_id text", "number int4", "ended_at timestamptz", "outcome text", "error_type text",
                "error_message text", "error_stack text");
    }


    public static OffsetDateTime ts(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
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

    public static Attempt readAttempt(ResultSet rs) throws SQLException {
        String errorType = rs.getString("error_type");
        return new Attempt(rs.getString("run_id"), rs.getInt("number"), rs.getString("task_id"), rs.getString("queue"),
                rs.getString("node_id"), rs.getLong("wait_ms"), instant(rs, "started_at"), instant(rs, "ended_at"),
                AttemptOutcome.valueOf(rs.getString("outcome")),
                errorType == null ? null
                        : new RunError(errorType, rs.getString("error_message"), rs.getString("error_stack")));
    }
}
