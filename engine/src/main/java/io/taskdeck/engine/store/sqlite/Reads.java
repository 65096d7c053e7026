package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.DeadLetterGroup;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.LogLine;
import io.taskdeck.engine.QueueState;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunPage;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStatus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reads of the SQLite store, on any connection (a reader's, or the writer's inside a request). */
public final class Reads {

    private static final String QUEUE_STATE = "SELECT q.name, q.concurrency_limit, q.limit_override, q.key_limit, q.paused, "
            + "(SELECT coalesce(sum(n), 0) FROM run_counts c WHERE c.queue = q.name AND c.status = 'EXECUTING'), "
            + "(SELECT coalesce(sum(n), 0) FROM run_counts c WHERE c.queue = q.name AND c.status = 'QUEUED') "
            + "FROM queues q";

    private Reads() {
    }

    private static QueueState readQueue(ResultSet rs) throws SQLException {
        int override = rs.getInt(3);
        Integer limitOverride = rs.wasNull() ? null : override;
        return new QueueState(rs.getString(1), rs.getInt(2), limitOverride, rs.getInt(4), rs.getInt(5) != 0,
                (int) rs.getLong(6), (int) rs.getLong(7));
    }

    public static Optional<QueueState> queueState(Conn c, String name) throws SQLException {
        PreparedStatement ps = c.ps(QUEUE_STATE + " WHERE q.name = ?");
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(readQueue(rs)) : Optional.empty();
        }
    }

    public static List<QueueState> queues(Conn c) throws SQLException {
        List<QueueState> out = new ArrayList<>();
        try (ResultSet rs = c.ps(QUEUE_STATE + " ORDER BY q.name").executeQuery()) {
            while (rs.next()) {
                out.add(readQueue(rs));
            }
        }
        return out;
    }

    public static Optional<Run> find(Conn c, String id) throws SQLException {
        return Optional.ofNullable(Writes.findRun(c, id));
    }

    public static RunPage list(Conn c, RunQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ").append(Codec.RUN_COLUMNS).append(" FROM runs WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        in(sql, args, "status", q.statuses().stream().map(Enum::name).toList());
        in(sql, args, "task_id", q.taskIds());
        in(sql, args, "queue", q.queues());
        in(sql, args, "dead_letter", q.deadLetter().stream().map(Enum::name).toList());
        if (q.tag() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE json_each.value = ?)");
            args.add(q.tag());
        }
        if (q.createdFrom() != null) {
            sql.append(" AND created_at >= ?");
            args.add(Codec.nanos(q.createdFrom()));
        }
        if (q.createdTo() != null) {
            sql.append(" AND created_at < ?");
            args.add(Codec.nanos(q.createdTo()));
        }
        eq(sql, args, "idempotency_key", q.idempotencyKey());
        eq(sql, args, "concurrency_key", q.concurrencyKey());
        eq(sql, args, "parent_id", q.parentId());
        eq(sql, args, "fingerprint", q.fingerprint());
        if (q.cursor() != null) {
            sql.append(q.oldestFirst() ? " AND id > ?" : " AND id < ?");
            args.add(q.cursor());
        }
        sql.append(" ORDER BY id ").append(q.oldestFirst() ? "ASC" : "DESC").append(" LIMIT ?");
        args.add(q.limit() + 1);
        List<Run> page;
        try (PreparedStatement ps = c.connection().prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            page = Codec.readRuns(ps);
        }
        String next = null;
        if (page.size() > q.limit()) {
            page = page.subList(0, q.limit());
            next = page.getLast().id();
        }
        return new RunPage(page, next);
    }

    private static void in(StringBuilder sql, List<Object> args, String column, Collection<String> values) {
        if (values.isEmpty()) {
            return;
        }
        sql.append(" AND ").append(column).append(" IN (").append("?, ".repeat(values.size() - 1)).append("?)");
        args.addAll(values);
    }

    private static void eq(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    public static List<Run> children(Conn c, String parentId) throws SQLException {
        PreparedStatement ps = c.ps("SELECT " + Codec.RUN_COLUMNS + " FROM runs WHERE parent_id = ? ORDER BY created_at, id");
        ps.setString(1, parentId);
        return Codec.readRuns(ps);
    }

    public static List<Attempt> attempts(Conn c, String runId) throws SQLException {
        PreparedStatement ps = c.ps("SELECT " + Codec.ATTEMPT_COLUMNS + " FROM attempts WHERE run_id = ? ORDER BY number");
        ps.setString(1, runId);
        List<Attempt> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(Codec.readAttempt(rs));
            }
        }
        // The attempt running now is kept in the run's row until it ends (schema V2), and so is the
        // attempt that made the run final (schema V4).
        PreparedStatement inRow = c.ps("SELECT " + Codec.RUN_COLUMNS + ", " + Codec.OPEN_ATTEMPT_COLUMNS
                + " FROM runs WHERE id = ? AND attempts > 0 AND attempt_started_at IS NOT NULL "
                + "AND (status IN ('EXECUTING', 'WAITING') OR attempt_outcome IS NOT NULL)");
        inRow.setString(1, runId);
        try (ResultSet rs = inRow.executeQuery()) {
            if (rs.next()) {
                Run run = Codec.readRun(rs, 1);
                OpenRuns.OpenAttempt a = Codec.readOpenAttempt(rs, Codec.RUN_COLUMN_COUNT + 1);
                Attempt attempt = a.isEnded() ? a.toAttempt(run)
                        : new Attempt(runId, run.attempts(), run.taskId(), run.queue(), run.nodeId(), a.waitMs(),
                                a.startedAt(), null, AttemptOutcome.RUNNING, null);
                if (out.stream().noneMatch(o -> o.number() == attempt.number())) {
                    out.add(attempt);
                    out.sort(java.util.Comparator.comparingInt(Attempt::number));
                }
            }
        }
        return out;
    }

    public static List<LogLine> logs(Conn c, String runId) throws SQLException {
        PreparedStatement ps = c.ps("SELECT run_id, attempt, at, level, message FROM logs WHERE run_id = ? ORDER BY id");
        ps.setString(1, runId);
        List<LogLine> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(Codec.readLog(rs));
            }
        }
        return out;
    }

    public static List<DeadLetterGroup> deadLetterGroups(Conn c, String taskId) throws SQLException {
        PreparedStatement ps = c.ps("SELECT fingerprint, task_id, error_type, error_message, cnt, first_seen, last_seen, id FROM ("
                + " SELECT fingerprint, task_id, error_type, error_message, id,"
                + " count(*) OVER w AS cnt,"
                + " min(coalesce(completed_at, updated_at)) OVER w AS first_seen,"
                + " max(coalesce(completed_at, updated_at)) OVER w AS last_seen,"
                + " row_number() OVER (PARTITION BY fingerprint ORDER BY coalesce(completed_at, updated_at) DESC, id DESC) AS rn"
                + " FROM runs WHERE dead_letter = 'OPEN' AND (?1 IS NULL OR task_id = ?1)"
                + " WINDOW w AS (PARTITION BY fingerprint))"
                + " WHERE rn = 1 ORDER BY last_seen DESC, fingerprint");
        ps.setString(1, taskId);
        List<DeadLetterGroup> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new DeadLetterGroup(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), Codec.getInstant(rs, 6), Codec.getInstant(rs, 7), rs.getString(8)));
            }
        }
        return out;
    }

    public static Map<RunStatus, Long> countByStatus(Conn c, String queue, String taskId) throws SQLException {
        PreparedStatement ps = c.ps("SELECT status, sum(n) FROM run_counts WHERE (?1 IS NULL OR queue = ?1) "
                + "AND (?2 IS NULL OR task_id = ?2) GROUP BY status");
        ps.setString(1, queue);
        ps.setString(2, taskId);
        Map<RunStatus, Long> out = new EnumMap<>(RunStatus.class);
        for (RunStatus s : RunStatus.values()) {
            out.put(s, 0L);
        }
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(RunStatus.valueOf(rs.getString(1)), rs.getLong(2));
            }
        }
        return out;
    }

    /**
     * Ended attempts in the attempts table, and (schema V4) the attempts that made runs final,
     * kept in the runs' rows and ended when the run completed: two index range scans merged in
     * end order, newest first. Public for the test that pins its plan.
     */
    public static final String ATTEMPTS_ENDED_BETWEEN = "SELECT " + Codec.ATTEMPT_COLUMNS + " FROM attempts "
            + "WHERE ended_at IS NOT NULL AND ended_at >= ?1 AND ended_at < ?2 "
            + "AND (?3 IS NULL OR queue = ?3) AND (?4 IS NULL OR task_id = ?4) "
            + "UNION ALL SELECT id, attempts, task_id, queue, attempt_node_id, attempt_wait_ms, attempt_started_at, "
            + "completed_at, attempt_outcome, "
            + "iif(attempt_outcome = 'SUCCEEDED', NULL, error_type), iif(attempt_outcome = 'SUCCEEDED', NULL, error_message), "
            + "iif(attempt_outcome = 'SUCCEEDED', NULL, error_stack) FROM runs "
            + "WHERE completed_at >= ?1 AND completed_at < ?2 AND attempt_outcome IS NOT NULL "
            + "AND (?3 IS NULL OR queue = ?3) AND (?4 IS NULL OR task_id = ?4) "
            + "ORDER BY 8 DESC LIMIT ?5";

    public static List<Attempt> attemptsEndedBetween(Conn c, Instant from, Instant to, String queue, String taskId, int max)
            throws SQLException {
        PreparedStatement ps = c.ps(ATTEMPTS_ENDED_BETWEEN);
        ps.setLong(1, Codec.nanos(from));
        ps.setLong(2, Codec.nanos(to));
        ps.setString(3, queue);
        ps.setString(4, taskId);
        ps.setInt(5, max);
        List<Attempt> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(Codec.readAttempt(rs));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- journal

    public static List<JournalEvent> readJournal(Conn c, long afterSeq, long lastSeq, int max) throws SQLException {
        PreparedStatement ps = c.ps("SELECT " + Codec.JOURNAL_COLUMNS + " FROM journal WHERE seq > ? AND seq <= ? "
                + "ORDER BY seq LIMIT ?");
        ps.setLong(1, afterSeq);
        ps.setLong(2, lastSeq);
        ps.setInt(3, Math.max(0, max));
        return events(ps);
    }

    private static List<JournalEvent> events(PreparedStatement ps) throws SQLException {
        List<JournalEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(Codec.readEvent(rs));
            }
        }
        return out;
    }

    public static long oldestSeq(Conn c, long lastSeq) throws SQLException {
        try (ResultSet rs = c.ps("SELECT min(seq) FROM journal").executeQuery()) {
            long min = rs.next() ? rs.getLong(1) : 0;
            return min == 0 ? lastSeq + 1 : min;
        }
    }

    /**
     * The first seq whose event is at or after {@code at}, lastSeq + 1 when none: a binary
     * search over seq, which works because event times never go backwards along the journal.
     */
    public static long seqAt(Conn c, Instant at, long lastSeq) throws SQLException {
        long target = Codec.nanos(at);
        long lo = oldestSeq(c, lastSeq);
        long hi = lastSeq + 1;
        PreparedStatement ps = c.ps("SELECT at FROM journal WHERE seq = ?");
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            ps.setLong(1, mid);
            long midAt;
            try (ResultSet rs = ps.executeQuery()) {
                midAt = rs.next() ? rs.getLong(1) : Long.MIN_VALUE;
            }
            if (midAt < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * A run's events, oldest first: the chain from the last event its row names back through each
     * event's previous one (schema V4: the journal has no index by run), each by the journal's
     * primary key. Retention prunes the oldest events first, so a pruned one ends the chain; a
     * run retention pruned has no row, so none of its events are found. The walk only goes to
     * older seqs, so a broken chain ends it rather than looping. Events after
     * {@code lastSeq} (not committed for the caller) are left out.
     */
    public static List<JournalEvent> runEvents(Conn c, String runId, long lastSeq) throws SQLException {
        PreparedStatement ps = c.ps(RUN_EVENTS);
        ps.setString(1, runId);
        ps.setLong(2, lastSeq);
        return events(ps);
    }

    public static final String RUN_EVENTS = "WITH RECURSIVE chain AS ("
            + "SELECT " + Codec.JOURNAL_COLUMNS + ", prev_seq FROM journal "
            + "WHERE seq = (SELECT last_seq FROM runs WHERE id = ?) "
            + "UNION ALL SELECT " + Codec.JOURNAL_COLUMNS.replaceAll("(\\w+)", "journal.$1") + ", journal.prev_seq "
            + "FROM chain JOIN journal ON journal.seq = chain.prev_seq AND chain.prev_seq < chain.seq) "
            + "SELECT " + Codec.JOURNAL_COLUMNS + " FROM chain WHERE seq <= ? ORDER BY seq";

    /** The seq of a run's last journal event as its row holds it; 0 for none (or no such run). */
    static long lastSeq(Conn c, String runId) throws SQLException {
        PreparedStatement ps = c.ps("SELECT last_seq FROM runs WHERE id = ?");
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Journal bounds at open: the last seq and its time, 0 for an empty journal. */
    public static long[] journalTail(Conn c) throws SQLException {
        try (ResultSet rs = c.ps("SELECT seq, at FROM journal ORDER BY seq DESC LIMIT 1").executeQuery()) {
            return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, Long.MIN_VALUE};
        }
    }
}
