package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.ClaimRequest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
     * The due candidates of queue {@code q}, at most {@code q.want} of them in claim order: unkeyed
     * (or retry-due keyed) runs, and keyed runs, within each key the first (key limit - holders).
     * Each is numbered {@code n} from 1 in that order.
     */
    private static final String READY = "SELECT id, row_number() OVER (ORDER BY order_key, id) AS n FROM ("
            + "(SELECT id, order_key FROM td_run WHERE queue = q.name AND status = 'QUEUED' "
            + "AND (concurrency_key IS NULL OR retry_pending) AND (run_at IS NULL OR run_at <= p.now) "
            + "AND task_id = ANY(p.tasks) ORDER BY order_key, id LIMIT q.want) UNION ALL "
            + "(SELECT w.id, w.order_key FROM (SELECT r.id, r.order_key, r.task_id, r.concurrency_key, row_number() OVER "
            + "(PARTITION BY concurrency_key ORDER BY order_key, id) AS rank FROM td_run r WHERE queue = q.name "
            + "AND status = 'QUEUED' AND concurrency_key IS NOT NULL AND NOT retry_pending "
            + "AND (run_at IS NULL OR run_at <= p.now)) w "
            + "LEFT JOIN (SELECT concurrency_key, count(*) AS held FROM td_run WHERE queue = q.name "
            + "AND concurrency_key IS NOT NULL AND (status = 'EXECUTING' OR retry_pending) GROUP BY concurrency_key) h "
            + "ON h.concurrency_key = w.concurrency_key "
            + "WHERE w.rank <= q.key_limit - coalesce(h.held, 0) AND w.task_id = ANY(p.tasks) "
            + "ORDER BY w.order_key, w.id LIMIT q.want)) ready ORDER BY order_key, id LIMIT q.want";
    /**
     * The rest of a claim in one statement, run once the queue locks are granted, so that its
     * snapshot sees every claim committed before (and this transaction's own writes). Per locked
     * queue, in turn (oldest first): the free slots, the limit minus its EXECUTING runs, capped at
     * the claim's max; the {@link #READY} candidates for them; picked round robin over the queues
     * (candidate n of every queue before candidate n + 1), as the memory store does, so one busy
     * queue cannot take every free slot of the node, up to the max. Then it locks the picked runs
     * still QUEUED (skipping any another transaction holds, a cancel say), moves them to EXECUTING
     * with their attempt opened on the run row (td_attempt gets its row, once, when the attempt
     * ends), and returns their new rows with their place in the round robin (n, turn). An
     * attempt's wait is now (in ms) minus when the run became ready (its retry or delay time,
     * else its creation), both in whole milliseconds.
     */
    private static final String CLAIM = "WITH p AS (SELECT ?::timestamptz AS now, ?::text[] AS tasks, ?::int4 AS max), "
            + "q AS (SELECT q.name, q.key_limit, q.turn, GREATEST(0, LEAST(p.max, q.lim - (SELECT count(*) FROM td_run e "
            + "WHERE e.queue = q.name AND e.status = 'EXECUTING'))) AS want "
            + "FROM p, unnest(?::text[], ?::int4[], ?::int4[]) WITH ORDINALITY AS q(name, lim, key_limit, turn)), "
            + "pick AS (SELECT x.id, x.n, q.turn FROM p CROSS JOIN q CROSS JOIN LATERAL (" + READY + ") x "
            + "ORDER BY x.n, q.turn LIMIT (SELECT max FROM p)), "
            + "c AS (SELECT r.id, pick.n, pick.turn FROM td_run r JOIN pick ON pick.id = r.id WHERE r.status = 'QUEUED' "
            + "ORDER BY r.id FOR UPDATE OF r SKIP LOCKED) "
            + "UPDATE td_run r SET status = 'EXECUTING', attempts = r.attempts + 1, error_type = NULL, "
            + "error_message = NULL, error_stack = NULL, node_id = ?, lease_until = ?, "
            + "started_at = coalesce(r.started_at, ?), updated_at = ?, attempt_started_at = ?, "
            + "attempt_wait_ms = GREATEST(0, ? - floor(extract(epoch FROM coalesce(r.run_at, r.created_at)) * 1000)::int8) "
            + "FROM c WHERE r.id = c.id RETURNING " + RunRows.COLUMNS.replaceAll("(^|, )", "$1r.") + ", c.n, c.turn";
    /** Where {@link #CLAIM}'s n and turn follow the run's columns. */
    private static final int PICKED_N = RunRows.COLUMNS.split(", ").length + 1;
    private static final String LOCK_WAITING = "SELECT " + RunRows.COLUMNS + " FROM td_run WHERE id = ANY(?) "
            + "AND status = 'WAITING' FOR UPDATE SKIP LOCKED";

    private final Db db;
    private final JournalWriter journal;

    public Claims(Db db, JournalWriter journal) {
        this.db = db;
        this.journal = journal;
    }

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
        List<QueueRow> queues = lockQueues(c, null);
        if (queues.isEmpty()) {
            return Claimed.NONE;
        }
        queues.sort(Comparator.comparingLong(QueueRow::position));
        record Picked(Run run, long n, int turn) {
        }
        List<Picked> picked = new ArrayList<>();
        Instant at = req.now();
        // Planning this statement costs more than running it for a batch of hundreds, and with the
        // queues bound as arrays a custom plan always looks cheaper than the cached generic one, so
        // PostgreSQL would plan it anew on every claim. Its plan does not depend on the values.
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
        }
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setObject(1, RunRows.ts(at));
            ps.setArray(2, c.createArrayOf("text", req.taskIds().toArray()));
            ps.setInt(3, req.max());
            ps.setArray(4, c.createArrayOf("text", queues.stream().map(QueueRow::name).toArray()));
            ps.setArray(5, c.createArrayOf("int4", queues.stream().map(QueueRow::limit).toArray()));
            ps.setArray(6, c.createArrayOf("int4", queues.stream().map(QueueRow::keyLimit).toArray()));
            ps.setString(7, req.nodeId());
            ps.setObject(8, RunRows.ts(req.leaseUntil()));
            ps.setObject(9, RunRows.ts(at));
            ps.setObject(10, RunRows.ts(at));
            ps.setObject(11, RunRows.ts(at));
            ps.setLong(12, at.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    picked.add(new Picked(RunRows.read(rs), rs.getLong(PICKED_N), rs.getInt(PICKED_N + 1)));
                }
            }
        }
        picked.sort(Comparator.comparingLong(Picked::n).thenComparingInt(Picked::turn));
        List<Run> out = new ArrayList<>(picked.size());
        List<JournalEvent> events = new ArrayList<>(picked.size());
        for (Picked p : picked) {
            Run next = p.run();
            events.add(new JournalEvent(0, at, JournalEvent.Kind.RUN_STATUS_CHANGED, next.id(), next.taskId(),
                    next.queue(), RunStatus.QUEUED, RunStatus.EXECUTING, next.attempts(), null));
            out.add(next);
        }
        return new Claimed(out, events);
    }

    /** An unpaused queue, locked: its effective limit, key limit and age. */
    private record QueueRow(String name, int limit, int keyLimit, long position) {
    }

    /** Locks the unpaused queues (all, or those named) in name order. */
    private static List<QueueRow> lockQueues(Connection c, Set<String> only) throws SQLException {
        List<QueueRow> rows = new ArrayList<>();
        String sql = only == null ? LOCK_QUEUES : LOCK_QUEUES.replace("WHERE NOT paused", "WHERE NOT paused AND name = ANY(?)");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (only != null) {
                ps.setArray(1, c.createArrayOf("text", only.toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int override = rs.getInt("limit_override");
                    int limit = rs.wasNull() ? rs.getInt("concurrency_limit") : override;
                    rows.add(new QueueRow(rs.getString("name"), limit, rs.getInt("key_limit"), rs.getLong("position")));
                }
            }
        }
        return rows;
    }

    /** The free slots of the locked queues (limit minus EXECUTING runs), counted in a statement after the locks. */
    private static Map<String, Integer> freeSlots(Connection c, List<QueueRow> queues) throws SQLException {
        Map<String, Integer> free = new HashMap<>();
        if (queues.isEmpty()) {
            return free;
        }
        Map<String, Integer> executing = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(EXECUTING)) {
            ps.setArray(1, c.createArrayOf("text", queues.stream().map(QueueRow::name).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    executing.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        for (QueueRow q : queues) {
            free.put(q.name(), q.limit() - executing.getOrDefault(q.name(), 0));
        }
        return free;
    }

    private static Map<String, Run> lockWaiting(Connection c, List<String> ids) throws SQLException {
        Map<String, Run> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_WAITING)) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Run r = RunRows.read(rs);
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
                    while (rs.next()) {
                        Run r = RunRows.read(rs);
                        waiting.put(r.id(), r);
                    }
                }
            }
            if (waiting.isEmpty()) {
                return List.of();
            }
            Set<String> queueNames = new TreeSet<>();
            waiting.values().forEach(r -> queueNames.add(r.queue()));
            Map<String, Integer> free = freeSlots(c, lockQueues(c, queueNames));
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
