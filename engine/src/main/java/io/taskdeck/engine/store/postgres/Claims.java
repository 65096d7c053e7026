package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.ClaimRequest;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Claims and resumes: the only ways into EXECUTING, so the only places the limits are enforced.
 *
 * <p>Why a count limit holds across nodes: SKIP LOCKED alone would let two nodes each see
 * "2 of 3 slots used" and take one run each. Here a claim first locks the rows of the queues it
 * draws from ({@code FOR UPDATE}, in name order), and only then counts the EXECUTING runs in a
 * fresh statement. Under READ COMMITTED that count sees every claim committed before the lock
 * was granted, and no other claim or resume of those queues can commit until this one does.
 * Completions need no queue lock: they only free slots, so a concurrent one can only make the
 * count pessimistic. Per-key limits are counted the same way, under the same queue lock.
 */
public final class Claims {

    private static final String LOCK_QUEUES = "SELECT name, concurrency_limit, limit_override, key_limit, position "
            + "FROM td_queue WHERE NOT paused ORDER BY name FOR UPDATE";
    private static final String EXECUTING = "SELECT queue, count(*) FROM td_run WHERE status = 'EXECUTING' "
            + "AND queue = ANY(?) GROUP BY queue";
    /**
     * Candidates carry only what ordering needs; the claim itself locks and rereads them. Two
     * kinds in one statement (one round trip): unkeyed (or retry-due keyed) runs in order, and
     * keyed runs, within each key the first (key limit - holders) due runs in order.
     */
    private static final String READY = "(SELECT id, order_key FROM td_run WHERE queue = ? AND status = 'QUEUED' "
            + "AND (concurrency_key IS NULL OR retry_pending) AND (run_at IS NULL OR run_at <= ?) AND task_id = ANY(?) "
            + "ORDER BY order_key, id LIMIT ?) UNION ALL "
            + "(SELECT w.id, w.order_key FROM (SELECT r.id, r.order_key, r.task_id, "
            + "r.concurrency_key, row_number() OVER "
            + "(PARTITION BY concurrency_key ORDER BY order_key, id) AS rank FROM td_run r WHERE queue = ? "
            + "AND status = 'QUEUED' AND concurrency_key IS NOT NULL AND NOT retry_pending "
            + "AND (run_at IS NULL OR run_at <= ?)) w "
            + "LEFT JOIN (SELECT concurrency_key, count(*) AS held FROM td_run WHERE queue = ? "
            + "AND concurrency_key IS NOT NULL AND (status = 'EXECUTING' OR retry_pending) GROUP BY concurrency_key) h "
            + "ON h.concurrency_key = w.concurrency_key "
            + "WHERE w.rank <= ? - coalesce(h.held, 0) AND w.task_id = ANY(?) ORDER BY w.order_key, w.id LIMIT ?)";
    /**
     * Locks the chosen runs that are still QUEUED (skipping any another transaction holds, a
     * cancel say), moves them to EXECUTING with their attempt opened on the run row, returning
     * the runs' new rows: one statement. The attempt's row in td_attempt is written once, when it
     * ends. Its wait is now (in ms) minus when the run became ready (its retry or delay time,
     * else its creation), both in whole milliseconds. Planned as primary-key probes ({@link ByPrimaryKey}).
     */
    private static final String CLAIM = "WITH c AS (SELECT id FROM td_run WHERE id = ANY(?) AND status = 'QUEUED' "
            + "ORDER BY id FOR UPDATE SKIP LOCKED) "
            + "UPDATE td_run r SET status = 'EXECUTING', attempts = r.attempts + 1, error_type = NULL, "
            + "error_message = NULL, error_stack = NULL, node_id = ?, lease_until = ?, "
            + "started_at = coalesce(r.started_at, ?), updated_at = ?, attempt_started_at = ?, "
            + "attempt_wait_ms = GREATEST(0, ? - floor(extract(epoch FROM coalesce(r.run_at, r.created_at)) * 1000)::int8) "
            + "FROM c WHERE r.id = c.id RETURNING " + RunRows.COLUMNS.replaceAll("(^|, )", "$1r.");
    private static final String LOCK_WAITING = "SELECT " + RunRows.COLUMNS + " FROM td_run WHERE id = ANY(?) "
            + "AND status = 'WAITING' FOR UPDATE SKIP LOCKED";

    private final Db db;
    private final JournalWriter journal;

    public Claims(Db db, JournalWriter journal) {
        this.db = db;
        this.journal = journal;
    }

    private record QueueSlots(String name, int free, int keyLimit, long position) {
    }

    private record Candidate(String id, long orderKey) {
    }

    private static final Comparator<Candidate> CANDIDATE_ORDER = Comparator.comparingLong(Candidate::orderKey)
            .thenComparing(Candidate::id);

    /** Runs claimed in a transaction, and the events to journal for them. */
    public record Claimed(List<Run> runs, List<JournalEvent> events) {
        static final Claimed NONE = new Claimed(List.of(), List.of());
    }

    public List<Run> claim(ClaimRequest req) {
        if (req.max() == 0 || req.taskIds().isEmpty()) {
            return List.of();
        }
        return db.tx("claiming runs for node " + req.nodeId(), c -> {
            Claimed claimed = claimUnjournaled(c, req);
            journal.append(c, claimed.events(), false);
            return claimed.runs();
        });
    }

    /**
     * Claims in the caller's transaction without journaling: the caller appends {@link Claimed#events}
     * last, after every lock it takes (queue rows, then the journal head, as every claim does).
     */
    public Claimed claimUnjournaled(Connection c, ClaimRequest req) throws SQLException {
        if (req.max() == 0 || req.taskIds().isEmpty()) {
            return Claimed.NONE;
        }
        List<QueueSlots> queues = lockQueues(c, null);
        if (queues.isEmpty()) {
            return Claimed.NONE;
        }
        Object[] tasks = req.taskIds().toArray();
        List<List<Candidate>> perQueue = new ArrayList<>();
        for (QueueSlots q : queues) {
            int want = Math.min(q.free(), req.max());
            List<Candidate> candidates = candidates(c, q, tasks, want, req.now());
            if (!candidates.isEmpty()) {
                perQueue.add(candidates);
            }
        }
        // Round robin over the queues, as the memory store does, so one busy queue cannot
        // take every free slot of the node.
        List<String> chosen = new ArrayList<>();
        for (int i = 0; chosen.size() < req.max(); i++) {
            boolean any = false;
            for (List<Candidate> list : perQueue) {
                if (i < list.size() && chosen.size() < req.max()) {
                    chosen.add(list.get(i).id());
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        if (chosen.isEmpty()) {
            return Claimed.NONE;
        }
        Instant at = req.now();
        Map<String, Run> claimed = new HashMap<>();
        try (PreparedStatement ps = ByPrimaryKey.prepare(c, CLAIM)) {
            TextArray.bind(c, ps, 1, chosen);
            ps.setString(2, req.nodeId());
            ps.setObject(3, RunRows.ts(req.leaseUntil()));
            ps.setObject(4, RunRows.ts(at));
            ps.setObject(5, RunRows.ts(at));
            ps.setObject(6, RunRows.ts(at));
            ps.setLong(7, at.toEpochMilli());
            ByPrimaryKey.execute(ps);
            try (ResultSet rs = ps.getResultSet()) {
                for (Run r : RunRows.readAll(rs)) {
                    claimed.put(r.id(), r);
                }
            }
        }
        List<Run> out = new ArrayList<>(claimed.size());
        List<JournalEvent> events = new ArrayList<>(claimed.size());
        for (String id : chosen) {
            Run next = claimed.get(id);
            if (next == null) {
                continue;
            }
            events.add(new JournalEvent(0, at, JournalEvent.Kind.RUN_STATUS_CHANGED, next.id(), next.taskId(),
                    next.queue(), RunStatus.QUEUED, RunStatus.EXECUTING, next.attempts(), null));
            out.add(next);
        }
        return new Claimed(out, events);
    }

    /** Locks the unpaused queues (all, or those named) in name order; returns those with free slots, oldest first. */
    private static List<QueueSlots> lockQueues(Connection c, Set<String> only) throws SQLException {
        record Row(String name, int limit, int keyLimit, long position) {
        }
        List<Row> rows = new ArrayList<>();
        String sql = only == null ? LOCK_QUEUES : LOCK_QUEUES.replace("WHERE NOT paused", "WHERE NOT paused AND name = ANY(?)");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (only != null) {
                ps.setArray(1, c.createArrayOf("text", only.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int override = rs.getInt("limit_override");
                    int limit = rs.wasNull() ? rs.getInt("concurrency_limit") : override;
                    rows.add(new Row(rs.getString("name"), limit, rs.getInt("key_limit"), rs.getLong("position")));
                }
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> executing = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(EXECUTING)) {
            ps.setArray(1, c.createArrayOf("text", rows.stream().map(Row::name).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    executing.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        List<QueueSlots> out = new ArrayList<>();
        for (Row r : rows) {
            int free = r.limit() - executing.getOrDefault(r.name(), 0);
            if (free > 0) {
                out.add(new QueueSlots(r.name(), free, r.keyLimit(), r.position()));
            }
        }
        out.sort(Comparator.comparingLong(QueueSlots::position));
        return out;
    }

    private static List<Candidate> candidates(Connection c, QueueSlots q, Object[] tasks, int want, Instant now)
            throws SQLException {
        List<Candidate> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(READY)) {
            Array tasksArray = c.createArrayOf("text", tasks);
            ps.setString(1, q.name());
            ps.setObject(2, RunRows.ts(now));
            ps.setArray(3, tasksArray);
            ps.setInt(4, want);
            ps.setString(5, q.name());
            ps.setObject(6, RunRows.ts(now));
            ps.setString(7, q.name());
            ps.setInt(8, q.keyLimit());
            ps.setArray(9, tasksArray);
            ps.setInt(10, want);
            readCandidates(ps, out);
        }
        out.sort(CANDIDATE_ORDER);
        return out.size() > want ? out.subList(0, want) : out;
    }

    private static void readCandidates(PreparedStatement ps, List<Candidate> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Candidate(rs.getString(1), rs.getLong(2)));
            }
        }
    }

    private static Map<String, Run> lockWaiting(Connection c, List<String> ids) throws SQLException {
        Map<String, Run> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_WAITING)) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                for (Run r : RunRows.readAll(rs)) {
                    out.put(r.id(), r);
                }
            }
        }
        return out;
    }

    public List<Run> resume(String nodeId, List<String> runIds, Instant now, Instant leaseUntil) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        return db.tx("resuming waiting runs for node " + nodeId, c -> {
            Map<String, Run> waiting = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRows.COLUMNS
                    + " FROM td_run WHERE id = ANY(?) AND status = 'WAITING' AND node_id = ?")) {
                ps.setArray(1, c.createArrayOf("text", runIds.toArray()));
                ps.setString(2, nodeId);
                try (ResultSet rs = ps.executeQuery()) {
                    for (Run r : RunRows.readAll(rs)) {
                        waiting.put(r.id(), r);
                    }
                }
            }
            if (waiting.isEmpty()) {
                return List.of();
            }
            Set<String> queueNames = new TreeSet<>();
            waiting.values().forEach(r -> queueNames.add(r.queue()));
            Map<String, Integer> free = new HashMap<>();
            for (QueueSlots q : lockQueues(c, queueNames)) {
                free.put(q.name(), q.free());
            }
            Map<String, Run> locked = lockWaiting(c, new ArrayList<>(waiting.keySet()));
            List<Run> out = new ArrayList<>();
            List<JournalEvent> events = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String id : runIds) {
                Run r = locked.get(id);
                if (r == null || !nodeId.equals(r.nodeId()) || !seen.add(id)) {
                    continue;
                }
                int slots = free.getOrDefault(r.queue(), 0);
                if (slots <= 0) {
                    continue;
                }
                free.put(r.queue(), slots - 1);
                out.add(r.toBuilder().status(RunStatus.EXECUTING).leaseUntil(leaseUntil).updatedAt(now).build());
                events.add(new JournalEvent(0, now, JournalEvent.Kind.RUN_STATUS_CHANGED, r.id(), r.taskId(),
                        r.queue(), RunStatus.WAITING, RunStatus.EXECUTING, r.attempts(), "resumed"));
            }
            if (out.isEmpty()) {
                return out;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE td_run SET status = 'EXECUTING', lease_until = ?, "
                    + "updated_at = ? WHERE id = ANY(?)")) {
                ps.setObject(1, RunRows.ts(leaseUntil));
                ps.setObject(2, RunRows.ts(now));
                ps.setArray(3, c.createArrayOf("text", out.stream().map(Run::id).toArray()));
                ps.executeUpdate();
            }
            journal.append(c, events, false);
            return out;
        });
    }
}
