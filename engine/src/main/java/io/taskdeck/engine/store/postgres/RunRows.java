package io.taskdeck.engine.store.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.DeadLetterState;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunStatus;
import org.postgresql.PGResultSetMetaData;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

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

    /**
     * New runs, one statement for the batch; bind with {@link #insertColumns}. Tags travel as a JSON
     * array. Columns left out (null in every row) take their default: null, or no tags.
     */
    public static String bulkInsert(Columns v) {
        StringBuilder columns = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (String name : v.names()) {
            columns.append(columns.isEmpty() ? "" : ", ").append(name);
            values.append(values.isEmpty() ? "" : ", ").append(name.equals("tags")
                    ? "CASE WHEN v.tags IS NULL THEN '{}'::text[] ELSE ARRAY(SELECT jsonb_array_elements_text(v.tags::jsonb)) END"
                    : "v." + name);
        }
        return "INSERT INTO td_run (" + columns + ") SELECT " + values + " FROM " + v.from();
    }

    /** The rows of new runs, for {@link #bulkInsert}, without the columns no run of the batch sets. */
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
        return v.withoutNullColumns();
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

    /** A column a transition may change (all but the payload), and how to read it from a run. */
    private record UpdateColumn(String spec, Function<Run, Object> value) {
    }

    private static final List<UpdateColumn> UPDATE_COLUMNS = List.of(
            new UpdateColumn("queue text", Run::queue),
            new UpdateColumn("status text", r -> r.status().name()),
            new UpdateColumn("output text", Run::output),
            new UpdateColumn("error_type text", r -> r.error() == null ? null : r.error().type()),
            new UpdateColumn("error_message text", r -> r.error() == null ? null : r.error().message()),
            new UpdateColumn("error_stack text", r -> r.error() == null ? null : r.error().stackTrace()),
            new UpdateColumn("metadata text", Run::metadata),
            new UpdateColumn("run_at timestamptz", Run::runAt),
            new UpdateColumn("started_at timestamptz", Run::startedAt),
            new UpdateColumn("completed_at timestamptz", Run::completedAt),
            new UpdateColumn("updated_at timestamptz", Run::updatedAt),
            new UpdateColumn("attempts int4", Run::attempts),
            new UpdateColumn("max_attempts int4", Run::maxAttempts),
            new UpdateColumn("node_id text", Run::nodeId),
            new UpdateColumn("lease_until timestamptz", Run::leaseUntil),
            new UpdateColumn("dead_letter text", r -> r.deadLetter().name()),
            new UpdateColumn("fingerprint text", Run::fingerprint));

    /** Writes the columns of {@link #updateColumns} for many runs in one statement. */
    public static String bulkUpdate(Columns v) {
        StringBuilder set = new StringBuilder();
        for (String name : v.names()) {
            if (!name.equals("id")) {
                set.append(set.isEmpty() ? "" : ", ").append(name).append(" = v.").append(name);
            }
        }
        return "UPDATE td_run r SET " + set + " FROM " + v.from() + " WHERE r.id = v.id";
    }

    /**
     * The rows for {@link #bulkUpdate}: one per run (the caller keeps the last state of each), with
     * the id and only the columns that differ from the locked rows in {@code before} for some run;
     * null when nothing differs. The rows stay locked until commit, so an unchanged column needs
     * no writing (a completion changes about half of them).
     */
    public static Columns updateColumns(Collection<Run> runs, Map<String, Run> before) {
        boolean[] differs = new boolean[UPDATE_COLUMNS.size()];
        int differing = 0;
        for (Run r : runs) {
            Run old = before.get(r.id());
            for (int i = 0; i < differs.length; i++) {
                if (!differs[i] && (old == null || !Objects.equals(UPDATE_COLUMNS.get(i).value().apply(r),
                        UPDATE_COLUMNS.get(i).value().apply(old)))) {
                    differs[i] = true;
                    differing++;
                }
            }
            if (differing == differs.length) {
                break;
            }
        }
        if (differing == 0) {
            return null;
        }
        List<UpdateColumn> changed = new ArrayList<>(differing);
        for (int i = 0; i < differs.length; i++) {
            if (differs[i]) {
                changed.add(UPDATE_COLUMNS.get(i));
            }
        }
        String[] spec = new String[changed.size() + 1];
        spec[0] = "id text";
        for (int i = 0; i < changed.size(); i++) {
            spec[i + 1] = changed.get(i).spec();
        }
        Columns v = new Columns(spec);
        for (Run r : runs) {
            Object[] row = new Object[spec.length];
            row[0] = r.id();
            for (int i = 0; i < changed.size(); i++) {
                row[i + 1] = changed.get(i).value().apply(r);
            }
            v.row(row);
        }
        return v;
    }

    /**
     * Records the attempts that ended, named by run and number (rows from {@link #closeColumns}),
     * each as one complete row: what the claim noted on the run row (node, start, wait), as this
     * statement found it, and how the attempt ended. Error columns null in every row may be left out.
     */
    public static String bulkCloseAttempts(Columns v) {
        StringBuilder columns = new StringBuilder("run_id, number, task_id, queue, node_id, wait_ms, started_at");
        StringBuilder values = new StringBuilder("r.id, v.number, r.task_id, r.queue, r.node_id, r.attempt_wait_ms, "
                + "r.attempt_started_at");
        for (String name : v.names()) {
            if (!name.equals("run_id") && !name.equals("number")) {
                columns.append(", ").append(name);
                values.append(", v.").append(name);
            }
        }
        return "INSERT INTO td_attempt (" + columns + ") SELECT " + values + " FROM " + v.from()
                + " JOIN td_run r ON r.id = v.run_id WHERE r.attempts = v.number AND r.attempt_started_at IS NOT NULL";
    }

    public static Columns closeColumns() {
        return new Columns("run_id text", "number int4", "ended_at timestamptz", "outcome text", "error_type text",
                "error_message text", "error_stack text");
    }


    public static OffsetDateTime ts(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        return instant(rs, rs.findColumn(column));
    }

    /**
     * A timestamptz column as an Instant. Sent in binary (a statement pgjdbc has prepared on the
     * server), the value is PostgreSQL's own: microseconds since 2000-01-01 UTC, big-endian, read
     * here directly; pgjdbc's own decoding of it goes through calendar fields and is among the
     * costliest parts of reading a run. Text values, infinities and other types go through pgjdbc.
     */
    public static Instant instant(ResultSet rs, int column) throws SQLException {
        return instant(rs, column, binaryTimestamptz(rs, column));
    }

    /** As {@link #instant(ResultSet, int)}, told whether the column is a binary timestamptz. */
    private static Instant instant(ResultSet rs, int column, boolean binaryTimestamptz) throws SQLException {
        if (binaryTimestamptz) {
            byte[] b = rs.getBytes(column);
            if (b == null) {
                return null;
            }
            if (b.length == 8) {
                long micros = 0;
                for (int i = 0; i < 8; i++) {
                    micros = micros << 8 | (b[i] & 0xff);
                }
                if (micros != Long.MAX_VALUE && micros != Long.MIN_VALUE) {
                    return Instant.ofEpochSecond(PG_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L),
                            Math.floorMod(micros, 1_000_000L) * 1_000L);
                }
            }
        }
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in seconds since 1970's. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    private static boolean binaryTimestamptz(ResultSet rs, int column) throws SQLException {
        return binary(rs, column) && "timestamptz".equals(rs.getMetaData().getColumnTypeName(column));
    }

    /** Whether the column's values came in PostgreSQL's binary format (a statement prepared on the server). */
    private static boolean binary(ResultSet rs, int column) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        return md.isWrapperFor(PGResultSetMetaData.class) && md.unwrap(PGResultSetMetaData.class).getFormat(column) == 1;
    }

    private static final List<String> COLUMN_NAMES = List.of(COLUMNS.split(", "));

    // Positions in COLUMNS, found once: a lookup by name costs a hash per value and row.
    private static final int C_ID = column("id");
    private static final int C_TASK_ID = column("task_id");
    private static final int C_QUEUE = column("queue");
    private static final int C_STATUS = column("status");
    private static final int C_PAYLOAD = column("payload");
    private static final int C_OUTPUT = column("output");
    private static final int C_ERROR_TYPE = column("error_type");
    private static final int C_ERROR_MESSAGE = column("error_message");
    private static final int C_ERROR_STACK = column("error_stack");
    private static final int C_METADATA = column("metadata");
    private static final int C_TAGS = column("tags");
    private static final int C_IDEMPOTENCY_KEY = column("idempotency_key");
    private static final int C_IDEMPOTENCY_KEY_EXPIRES_AT = column("idempotency_key_expires_at");
    private static final int C_CONCURRENCY_KEY = column("concurrency_key");
    private static final int C_PRIORITY = column("priority");
    private static final int C_CREATED_AT = column("created_at");
    private static final int C_RUN_AT = column("run_at");
    private static final int C_EXPIRES_AT = column("expires_at");
    private static final int C_STARTED_AT = column("started_at");
    private static final int C_COMPLETED_AT = column("completed_at");
    private static final int C_UPDATED_AT = column("updated_at");
    private static final int C_ATTEMPTS = column("attempts");
    private static final int C_MAX_ATTEMPTS = column("max_attempts");
    private static final int C_PARENT_ID = column("parent_id");
    private static final int C_ROOT_ID = column("root_id");
    private static final int C_BATCH_ID = column("batch_id");
    private static final int C_NODE_ID = column("node_id");
    private static final int C_LEASE_UNTIL = column("lease_until");
    private static final int C_DEAD_LETTER = column("dead_letter");
    private static final int C_FINGERPRINT = column("fingerprint");

    private static int column(String name) {
        int i = COLUMN_NAMES.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("no column " + name + " in COLUMNS");
        }
        return i + 1;
    }

    /** The run in the current row of a result whose first columns are {@link #COLUMNS}, in that order. */
    public static Run read(ResultSet rs) throws SQLException {
        return new Reader(rs).read();
    }

    /** Every run of such a result, from the current row on. */
    public static List<Run> readAll(ResultSet rs) throws SQLException {
        Reader reader = new Reader(rs);
        List<Run> out = new ArrayList<>();
        while (rs.next()) {
            out.add(reader.read());
        }
        return out;
    }

    /**
     * Reads the runs of one result whose first columns are {@link #COLUMNS}. Whether each timestamp
     * came in binary is the same in every row, so it is looked up once per result: through the
     * result's metadata it cost a type lookup per value.
     */
    private static final class Reader {
        private final ResultSet rs;
        private final boolean[] binaryTimestamptz = new boolean[COLUMN_NAMES.size() + 1];
        private final boolean binaryTags;

        private Reader(ResultSet rs) throws SQLException {
            this.rs = rs;
            this.binaryTags = binary(rs, C_TAGS);
            for (int column : new int[] {C_IDEMPOTENCY_KEY_EXPIRES_AT, C_CREATED_AT, C_RUN_AT, C_EXPIRES_AT,
                C_STARTED_AT, C_COMPLETED_AT, C_UPDATED_AT, C_LEASE_UNTIL}) {
                binaryTimestamptz[column] = binaryTimestamptz(rs, column);
            }
        }

        private Instant instant(int column) throws SQLException {
            return RunRows.instant(rs, column, binaryTimestamptz[column]);
        }

        /**
         * Most runs have no tags: an empty array is told from its raw value (binary: no dimensions;
         * text: {@code {}}) without pgjdbc building a {@link Array} and looking its element type up.
         */
        private List<String> tags() throws SQLException {
            byte[] raw = rs.getBytes(C_TAGS);
            if (raw == null || (binaryTags ? raw.length >= 4 && raw[0] == 0 && raw[1] == 0 && raw[2] == 0 && raw[3] == 0
                    : raw.length == 2 && raw[0] == '{' && raw[1] == '}')) {
                return List.of();
            }
            return Arrays.asList((String[]) rs.getArray(C_TAGS).getArray());
        }

        /** The run in the result's current row. */
        Run read() throws SQLException {
            String errorType = rs.getString(C_ERROR_TYPE);
            return new Run(
                    rs.getString(C_ID),
                    rs.getString(C_TASK_ID),
                    rs.getString(C_QUEUE),
                    RunStatus.valueOf(rs.getString(C_STATUS)),
                    rs.getString(C_PAYLOAD),
                    rs.getString(C_OUTPUT),
                    errorType == null ? null
                            : new RunError(errorType, rs.getString(C_ERROR_MESSAGE), rs.getString(C_ERROR_STACK)),
                    rs.getString(C_METADATA),
                    tags(),
                    rs.getString(C_IDEMPOTENCY_KEY),
                    instant(C_IDEMPOTENCY_KEY_EXPIRES_AT),
                    rs.getString(C_CONCURRENCY_KEY),
                    rs.getInt(C_PRIORITY),
                    instant(C_CREATED_AT),
                    instant(C_RUN_AT),
                    instant(C_EXPIRES_AT),
                    instant(C_STARTED_AT),
                    instant(C_COMPLETED_AT),
                    instant(C_UPDATED_AT),
                    rs.getInt(C_ATTEMPTS),
                    rs.getInt(C_MAX_ATTEMPTS),
                    rs.getString(C_PARENT_ID),
                    rs.getString(C_ROOT_ID),
                    rs.getString(C_BATCH_ID),
                    rs.getString(C_NODE_ID),
                    instant(C_LEASE_UNTIL),
                    DeadLetterState.valueOf(rs.getString(C_DEAD_LETTER)),
                    rs.getString(C_FINGERPRINT));
        }
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
