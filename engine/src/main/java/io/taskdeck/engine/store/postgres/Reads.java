package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.DeadLetterGroup;
import io.taskdeck.engine.DeadLetterState;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.LogLine;
import io.taskdeck.engine.QueueState;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunPage;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reads of the PostgreSQL store. */
public final class Reads {

    private static final String JOURNAL_COLUMNS = "seq, at, kind, run_id, task_id, queue, from_status, to_status, attempt, detail";

    private final Db db;

    public Reads(Db db) {
        this.db = db;
    }

    /** Binds parameters in order: String, Integer, Long, Instant, Object[] (text array). */
    private static void bind(Connection c, PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            switch (p) {
                case Instant at -> ps.setObject(i + 1, RunRows.ts(at));
                case Object[] array -> ps.setArray(i + 1, c.createArrayOf("text", array));
                case null -> ps.setString(i + 1, null);
                default -> ps.setObject(i + 1, p);
            }
        }
    }

    public List<Run> runs(String sql, Object... params) {
        return db.tx("reading runs", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    return RunRows.readAll(rs);
                }
            }
        });
    }

    public Optional<Run> find(String runId) {
        return runs("SELECT " + RunRows.COLUMNS + " FROM td_run WHERE id = ?", runId).stream().findFirst();
    }

    // ------------------------------------------------------------------ queues

    /** Queue states (one, or all when name is null), oldest queue first. */
    public static List<QueueState> queueStates(Connection c, String name, Instant lastNow) throws SQLException {
        String sql = "SELECT q.name, q.concurrency_limit, q.limit_override, q.key_limit, q.paused, "
                + "(SELECT count(*) FROM td_run r WHERE r.queue = q.name AND r.status = 'EXECUTING') AS executing, "
                + "(SELECT count(*) FROM td_run r WHERE r.queue = q.name AND r.status = 'QUEUED' "
                + "AND (r.run_at IS NULL OR r.run_at <= ?)) AS queued "
                + "FROM td_queue q" + (name == null ? "" : " WHERE q.name = ?") + " ORDER BY q.position";
        List<QueueState> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, RunRows.ts(lastNow));
            if (name != null) {
                ps.setString(2, name);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int override = rs.getInt("limit_override");
                    Integer overrideValue = rs.wasNull() ? null : override;
                    out.add(new QueueState(rs.getString("name"), rs.getInt("concurrency_limit"), overrideValue,
                            rs.getInt("key_limit"), rs.getBoolean("paused"), rs.getInt("executing"), rs.getInt("queued")));
                }
            }
        }
        return out;
    }

    public List<QueueState> queues(String name, Instant lastNow) {
        return db.tx("reading queues", c -> queueStates(c, name, lastNow));
    }

    // ------------------------------------------------------------------ runs

    public RunPage list(RunQuery q) {
        StringBuilder sql = new StringBuilder("SELECT ").append(RunRows.COLUMNS).append(" FROM td_run WHERE true");
        List<Object> params = new ArrayList<>();
        if (!q.statuses().isEmpty()) {
            sql.append(" AND status = ANY(?)");
            params.add(q.statuses().stream().map(Enum::name).toArray());
        }
        if (!q.taskIds().isEmpty()) {
            sql.append(" AND task_id = ANY(?)");
            params.add(q.taskIds().toArray());
        }
        if (!q.queues().isEmpty()) {
            sql.append(" AND queue = ANY(?)");
            params.add(q.queues().toArray());
        }
        if (q.tag() != null) {
            sql.append(" AND tags @> ?");
            params.add(new Object[] {q.tag()});
        }
        if (q.createdFrom() != null) {
            sql.append(" AND created_at >= ?");
            params.add(q.createdFrom());
        }
        if (q.createdTo() != null) {
            sql.append(" AND created_at < ?");
            params.add(q.createdTo());
        }
        if (q.idempotencyKey() != null) {
            sql.append(" AND idempotency_key = ?");
            params.add(q.idempotencyKey());
        }
        if (q.concurrencyKey() != null) {
            sql.append(" AND concurrency_key = ?");
            params.add(q.concurrencyKey());
        }
        if (q.parentId() != null) {
            sql.append(" AND parent_id = ?");
            params.add(q.parentId());
        }
        if (!q.deadLetter().isEmpty()) {
            sql.append(" AND dead_letter = ANY(?)");
            params.add(q.deadLetter().stream().map(DeadLetterState::name).toArray());
        }
        if (q.fingerprint() != null) {
            sql.append(" AND fingerprint = ?");
            params.add(q.fingerprint());
        }
        if (q.cursor() != null) {
            sql.append(q.oldestFirst() ? " AND id > ?" : " AND id < ?");
            params.add(q.cursor());
        }
        sql.append(" ORDER BY id").append(q.oldestFirst() ? "" : " DESC").append(" LIMIT ?");
        params.add(q.limit() + 1);
        List<Run> rows = runs(sql.toString(), params.toArray());
        if (rows.size() <= q.limit()) {
            return new RunPage(rows, null);
        }
        List<Run> page = rows.subList(0, q.limit());
        return new RunPage(page, page.getLast().id());
    }

    public List<Attempt> attempts(String runId) {
        return db.tx("reading attempts", c -> {
            // Ended attempts have their row; the open one of an EXECUTING or WAITING run is on the run row.
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRows.ATTEMPT_COLUMNS
                    + " FROM td_attempt WHERE run_id = ? UNION ALL SELECT id, attempts, task_id, queue, node_id, "
                    + "attempt_wait_ms, attempt_started_at, NULL, 'RUNNING', NULL, NULL, NULL FROM td_run WHERE id = ? "
                    + "AND status IN ('EXECUTING', 'WAITING') AND attempt_started_at IS NOT NULL ORDER BY number")) {
                ps.setString(1, runId);
                ps.setString(2, runId);
                return readAttempts(ps);
            }
        });
    }

    private static List<Attempt> readAttempts(PreparedStatement ps) throws SQLException {
        List<Attempt> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(RunRows.readAttempt(rs));
            }
        }
        return out;
    }

    public List<Attempt> attemptsEndedBetween(Instant from, Instant to, String queue, String taskId, int max) {
        return db.tx("reading attempts", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRows.ATTEMPT_COLUMNS + " FROM td_attempt "
                    + "WHERE ended_at >= ? AND ended_at < ? AND (?::text IS NULL OR queue = ?) "
                    + "AND (?::text IS NULL OR task_id = ?) ORDER BY ended_at DESC, run_id DESC LIMIT ?")) {
                bind(c, ps, from, to, queue, queue, taskId, taskId, max);
                return readAttempts(ps);
            }
        });
    }

    public List<LogLine> logs(String runId) {
        return db.tx("reading logs", c -> {
            List<LogLine> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT run_id, attempt, at, level, message FROM td_log WHERE run_id = ? ORDER BY id")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LogLine(rs.getString(1), rs.getInt(2), RunRows.instant(rs, "at"),
                                LogLine.Level.valueOf(rs.getString(4)), rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    public List<DeadLetterGroup> deadLetterGroups(String taskId) {
        return db.tx("reading dead letters", c -> {
            List<DeadLetterGroup> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (fingerprint) fingerprint, task_id, "
                    + "error_type, error_message, id, count(*) OVER w AS n, min(seen) OVER w AS first_seen, seen "
                    + "FROM (SELECT *, coalesce(completed_at, updated_at) AS seen FROM td_run WHERE dead_letter = 'OPEN' "
                    + "AND (?::text IS NULL OR task_id = ?)) d WINDOW w AS (PARTITION BY fingerprint) "
                    + "ORDER BY fingerprint, seen DESC, id DESC")) {
                ps.setString(1, taskId);
                ps.setString(2, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeadLetterGroup(rs.getString("fingerprint"), rs.getString("task_id"),
                                rs.getString("error_type"), rs.getString("error_message"), rs.getLong("n"),
                                RunRows.instant(rs, "first_seen"), RunRows.instant(rs, "seen"), rs.getString("id")));
                    }
                }
            }
            out.sort(Comparator.comparing(DeadLetterGroup::lastSeen).reversed().thenComparing(DeadLetterGroup::fingerprint));
            return out;
        });
    }

    public Map<RunStatus, Long> countByStatus(String queue, String taskId) {
        return db.tx("counting runs", c -> {
            Map<RunStatus, Long> out = new EnumMap<>(RunStatus.class);
            for (RunStatus s : RunStatus.values()) {
                out.put(s, 0L);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT status, count(*) FROM td_run "
                    + "WHERE (?::text IS NULL OR queue = ?) AND (?::text IS NULL OR task_id = ?) GROUP BY status")) {
                bind(c, ps, queue, queue, taskId, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(RunStatus.valueOf(rs.getString(1)), rs.getLong(2));
                    }
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ timers

    public Optional<Instant> nextDueAt(Instant lastNow) {
        return db.tx("reading the next due time", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT least("
                    + "(SELECT coalesce(run_at, '-infinity') FROM td_run WHERE status = 'DELAYED' ORDER BY run_at NULLS FIRST LIMIT 1), "
                    + "(SELECT min(run_at) FROM td_run WHERE status = 'QUEUED' AND run_at > ?), "
                    + "(SELECT min(expires_at) FROM td_run WHERE status IN ('DELAYED', 'QUEUED') AND attempts = 0 "
                    + "AND expires_at IS NOT NULL), "
                    // A lease is over after its end (expiredLeases): due the first microsecond after it.
                    + "(SELECT min(lease_until) + interval '1 microsecond' FROM td_run "
                    + "WHERE status IN ('EXECUTING', 'WAITING')))")) {
                ps.setObject(1, RunRows.ts(lastNow));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Instant at = RunRows.instant(rs, "least");
                    if (at == null) {
                        return Optional.<Instant>empty();
                    }
                    return Optional.of(at.isBefore(Instant.EPOCH) ? Instant.EPOCH : at);
                }
            }
        });
    }

    public List<Run> expiredLeases(Instant now, int max) {
        return runs("SELECT " + RunRows.COLUMNS + " FROM td_run WHERE status IN ('EXECUTING', 'WAITING') "
                + "AND lease_until < ? ORDER BY lease_until, id LIMIT ?", now, max);
    }

    // ------------------------------------------------------------------ journal

    private static JournalEvent readEvent(ResultSet rs) throws SQLException {
        String from = rs.getString("from_status");
        String to = rs.getString("to_status");
        return new JournalEvent(rs.getLong("seq"), RunRows.instant(rs, "at"), JournalEvent.Kind.valueOf(rs.getString("kind")),
                rs.getString("run_id"), rs.getString("task_id"), rs.getString("queue"),
                from == null ? null : RunStatus.valueOf(from), to == null ? null : RunStatus.valueOf(to),
                rs.getInt("attempt"), rs.getString("detail"));
    }

    private List<JournalEvent> events(String sql, Object... params) {
        return db.tx("reading the journal", c -> {
            List<JournalEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(readEvent(rs));
                    }
                }
            }
            return out;
        });
    }

    public List<JournalEvent> readJournal(long afterSeq, int max) {
        if (max <= 0) {
            return List.of();
        }
        return events("SELECT " + JOURNAL_COLUMNS + " FROM td_journal WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, max);
    }

    public List<JournalEvent> runEvents(String runId) {
        return events("SELECT " + JOURNAL_COLUMNS + " FROM td_journal WHERE run_id = ? ORDER BY seq", runId);
    }

    private long scalar(String sql, Object... params) {
        return db.tx("reading the journal", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(c, ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    public long lastSeq() {
        return scalar("SELECT last_seq FROM td_journal_head WHERE id = 1");
    }

    public long oldestSeq() {
        return scalar("SELECT coalesce((SELECT min(seq) FROM td_journal), (SELECT last_seq + 1 FROM td_journal_head WHERE id = 1))");
    }

    /**
     * A binary search over seq: event times never go backwards along the sequence, and the
     * retained journal has no holes (trimming drops its oldest part), so about log2(events)
     * primary-key lookups find the answer without an index on the time that every append would
     * have to maintain.
     */
    public long seqAt(Instant at) {
        return db.tx("finding the journal position at " + at, c -> {
            long lo;
            long hi;
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce((SELECT min(seq) FROM td_journal), last_seq + 1), "
                    + "last_seq + 1 FROM td_journal_head WHERE id = 1")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    lo = rs.getLong(1);
                    hi = rs.getLong(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT at FROM td_journal WHERE seq = ?")) {
                while (lo < hi) {
                    long mid = (lo + hi) >>> 1;
                    ps.setLong(1, mid);
                    boolean atOrAfter;
                    try (ResultSet rs = ps.executeQuery()) {
                        // Missing: trimmed meanwhile, so older than anything retained.
                        atOrAfter = rs.next() && !RunRows.instant(rs, "at").isBefore(at);
                    }
                    if (atOrAfter) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
            }
            return lo;
        });
    }
}
