package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.LogLine;
import io.taskdeck.engine.QueueState;
import io.taskdeck.engine.QueueUpdate;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.ClaimRequest;
import io.taskdeck.engine.store.InsertResult;
import io.taskdeck.engine.store.SavedAndClaimed;
import io.taskdeck.engine.store.Transition;
import io.taskdeck.engine.store.TransitionResult;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The writes of the PostgreSQL store other than claims; each public method is one transaction. */
public final class Writes {

    private static final int UNLIMITED = Integer.MAX_VALUE;

    private final Db db;
    private final JournalWriter journal;
    private final Set<String> knownQueues = ConcurrentHashMap.newKeySet();

    public Writes(Db db, JournalWriter journal) {
        this.db = db;
        this.journal = journal;
    }

    public record Applied(List<TransitionResult> results, boolean journaled) {
    }

    public record Promoted(List<Run> changed, boolean queued) {
    }

    // ------------------------------------------------------------------ queues

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("queue name must not be blank");
        }
    }

    public QueueState ensureQueue(String name, int limit, int keyLimit, Instant lastNow) {
        requireName(name);
        if (limit < 0 || keyLimit < 1) {
            throw new IllegalArgumentException("queue " + name + ": concurrencyLimit must be >= 0 and concurrencyKeyLimit >= 1, got "
                    + limit + " and " + keyLimit);
        }
        return db.tx("ensuring queue " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO td_queue (name, concurrency_limit, key_limit) "
                    + "VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET concurrency_limit = EXCLUDED.concurrency_limit, "
                    + "key_limit = EXCLUDED.key_limit")) {
                ps.setString(1, name);
                ps.setInt(2, limit);
                ps.setInt(3, keyLimit);
                ps.executeUpdate();
            }
            journal.notifyWork(c);
            knownQueues.add(name);
            return Reads.queueStates(c, name, lastNow).getFirst();
        });
    }

    /**
     * Registers queues that runs name without a definition (unlimited, as the memory store does).
     * Returns the names to remember as existing once the transaction has committed.
     */
    private List<String> ensureQueuesExist(Connection c, Collection<String> names) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String n : new TreeSet<>(names)) {
            if (!knownQueues.contains(n)) {
                missing.add(n);
            }
        }
        if (missing.isEmpty()) {
            return missing;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO td_queue (name, concurrency_limit, key_limit) "
                + "SELECT n, ?, 1 FROM unnest(?::text[]) AS n ORDER BY n ON CONFLICT (name) DO NOTHING")) {
            ps.setInt(1, UNLIMITED);
            ps.setArray(2, c.createArrayOf("text", missing.toArray()));
            ps.executeUpdate();
        }
        return missing;
    }

    public QueueState updateQueue(String name, QueueUpdate update, Instant now, Instant lastNow) {
        return db.tx("updating queue " + name, c -> {
            String sql = switch (update) {
                case QueueUpdate.OverrideLimit o -> "UPDATE td_queue SET limit_override = " + o.limit() + " WHERE name = ?";
                case QueueUpdate.ResetLimit r -> "UPDATE td_queue SET limit_override = NULL WHERE name = ?";
                case QueueUpdate.SetPaused p -> "UPDATE td_queue SET paused = " + p.paused() + " WHERE name = ?";
            };
            sql += " RETURNING concurrency_limit";
            int defaultLimit;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NoSuchElementException("no queue named " + name);
                    }
                    defaultLimit = rs.getInt(1);
                }
            }
            String detail = switch (update) {
                case QueueUpdate.OverrideLimit o -> "concurrencyLimit overridden to " + o.limit();
                case QueueUpdate.ResetLimit r -> "concurrencyLimit reset to " + defaultLimit;
                case QueueUpdate.SetPaused p -> p.paused() ? "paused" : "resumed";
            };
            journal.append(c, List.of(new JournalEvent(0, now, JournalEvent.Kind.QUEUE_UPDATED, null, null, name,
                    null, null, 0, detail)), true);
            return Reads.queueStates(c, name, lastNow).getFirst();
        });
    }

    // ------------------------------------------------------------------ insert

    public List<InsertResult> insert(List<Run> batch, Instant now) {
        Set<String> ids = new HashSet<>();
        Set<String> queues = new LinkedHashSet<>();
        for (Run r : batch) {
            if (r.status() != RunStatus.DELAYED && r.status() != RunStatus.QUEUED) {
                throw new IllegalArgumentException("run " + r.id() + ": a new run is DELAYED or QUEUED, not " + r.status());
            }
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("run " + r.id() + " already exists");
            }
            requireName(r.queue());
            queues.add(r.queue());
        }
        if (batch.isEmpty()) {
            return List.of();
        }
        List<String> created = new ArrayList<>();
        List<InsertResult> results = db.tx("recording " + batch.size() + " runs", c -> {
            created.clear();
            created.addAll(ensureQueuesExist(c, queues));
            InsertResult[] out = new InsertResult[batch.size()];
            List<JournalEvent> events = new ArrayList<>(batch.size());
            // Runs without an idempotency key go in one statement; keyed ones one by one, in order,
            // so a key used twice in this batch resolves to its first run.
            List<Run> plain = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Run r = batch.get(i);
                if (r.idempotencyKey() == null) {
                    plain.add(r);
                    out[i] = new InsertResult(r, false);
                }
            }
            try {
                if (!plain.isEmpty()) {
                    Columns v = RunRows.insertColumns(plain);
                    try (PreparedStatement ps = c.prepareStatement(RunRows.bulkInsert(v))) {
                        v.bind(c, ps, 1);
                        ps.executeUpdate();
                    }
                }
                for (int i = 0; i < batch.size(); i++) {
                    Run r = batch.get(i);
                    if (r.idempotencyKey() != null) {
                        out[i] = insertKeyed(c, r, now);
                    }
                }
            } catch (PSQLException e) {
                throw duplicateRun(e);
            }
            for (int i = 0; i < batch.size(); i++) {
                if (!out[i].cached()) {
                    Run r = out[i].run();
                    events.add(new JournalEvent(0, now, JournalEvent.Kind.RUN_TRIGGERED, r.id(), r.taskId(), r.queue(),
                            null, r.status(), 0, null));
                }
            }
            journal.append(c, events, !events.isEmpty());
            return List.of(out);
        });
        knownQueues.addAll(created);
        return results;
    }

    /** A run id that exists already is the caller's mistake, named as such; anything else stays a database error. */
    private static SQLException duplicateRun(PSQLException e) {
        ServerErrorMessage m = e.getServerErrorMessage();
        if ("23505".equals(e.getSQLState()) && m != null && "td_run_pkey".equals(m.getConstraint())) {
            String detail = m.getDetail() == null ? "" : m.getDetail();
            int open = detail.indexOf("=(");
            int close = detail.lastIndexOf(") already exists");
            String id = open >= 0 && close > open ? detail.substring(open + 2, close) : "in this batch";
            throw new IllegalArgumentException("run " + id + " already exists");
        }
        return e;
    }

    private InsertResult insertKeyed(Connection c, Run r, Instant now) throws SQLException {
        Run live = liveKeyHolder(c, r.taskId(), r.idempotencyKey());
        if (live != null) {
            if (live.idempotencyKeyExpiresAt() == null || live.idempotencyKeyExpiresAt().isAfter(now)) {
                return new InsertResult(live, true);
            }
            release(c, r.taskId(), r.idempotencyKey());
        }
        Columns v = RunRows.insertColumns(List.of(r));
        try (PreparedStatement ps = c.prepareStatement(RunRows.bulkInsert(v)
                + " ON CONFLICT (task_id, idempotency_key) WHERE idempotency_live DO NOTHING")) {
            v.bind(c, ps, 1);
            if (ps.executeUpdate() == 1) {
                return new InsertResult(r, false);
            }
        }
        // Another node recorded the same key first (and committed): answer with its run.
        Run winner = liveKeyHolder(c, r.taskId(), r.idempotencyKey());
        if (winner == null) {
            throw new SQLException("idempotency key " + r.idempotencyKey() + " conflicted but no live run holds it", "40001");
        }
        return new InsertResult(winner, true);
    }

    private static Run liveKeyHolder(Connection c, String taskId, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRows.COLUMNS
                + " FROM td_run WHERE task_id = ? AND idempotency_key = ? AND idempotency_live FOR UPDATE")) {
            ps.setString(1, taskId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? RunRows.read(rs) : null;
            }
        }
    }

    private static int release(Connection c, String taskId, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE td_run SET idempotency_live = false "
                + "WHERE task_id = ? AND idempotency_key = ? AND idempotency_live")) {
            ps.setString(1, taskId);
            ps.setString(2, key);
            return ps.executeUpdate();
        }
    }

    public boolean resetIdempotencyKey(String taskId, String key) {
        return db.tx("resetting idempotency key " + key, c -> release(c, taskId, key) > 0);
    }

    // ------------------------------------------------------------------ transitions

    public Applied apply(List<Transition> transitions, Instant now) {
        if (transitions.isEmpty()) {
            return new Applied(List.of(), false);
        }
        List<String> created = new ArrayList<>();
        Applied applied = db.tx("applying " + transitions.size() + " transitions", c -> {
            created.clear();
            Staged staged = applyUnjournaled(c, transitions, now, created);
            journal.append(c, staged.events(), staged.work());
            return new Applied(staged.results(), !staged.events().isEmpty());
        });
        knownQueues.addAll(created);
        return applied;
    }

    /** Transitions applied in a transaction, not yet journaled: their results, their events, whether they make work. */
    private record Staged(List<TransitionResult> results, List<JournalEvent> events, boolean work) {
    }

    /** What {@link #applyAndClaim} did, and whether it journaled anything and may have made work claimable. */
    public record AppliedAndClaimed(SavedAndClaimed result, boolean journaled, boolean work) {
    }

    /**
     * {@link #apply} then {@link Claims#claimUnjournaled}, one transaction and one commit. The
     * journal is appended last, once for both: the runs are locked first (in id order, as any
     * apply does), then the queues (as any claim does), then the journal head (as every writer
     * does, last). A claim elsewhere holding a queue lock waits only for the journal head, never
     * for these runs (it skips locked runs), so the orders cannot cross.
     */
    public AppliedAndClaimed applyAndClaim(List<Transition> transitions, Instant now, Claims claims, ClaimRequest request) {
        List<String> created = new ArrayList<>();
        AppliedAndClaimed done = db.tx("applying " + transitions.size() + " transitions and claiming runs for node "
                + request.nodeId(), c -> {
            created.clear();
            Staged staged = applyUnjournaled(c, transitions, now, created);
            Claims.Claimed claimed = claims.claimUnjournaled(c, request);
            List<JournalEvent> events = staged.events();
            if (!claimed.events().isEmpty()) {
                events = new ArrayList<>(events);
                events.addAll(claimed.events());
            }
            journal.append(c, events, staged.work());
            return new AppliedAndClaimed(new SavedAndClaimed(staged.results(), claimed.runs()), !events.isEmpty(),
                    !staged.events().isEmpty());
        });
        knownQueues.addAll(created);
        return done;
    }

    private Staged applyUnjournaled(Connection c, List<Transition> transitions, Instant now, List<String> created)
            throws SQLException {
        Set<String> ids = new TreeSet<>();
        Set<String> newQueues = new HashSet<>();
        for (Transition t : transitions) {
            ids.add(t.runId());
        }
        Map<String, Run> current = lockRuns(c, ids);
        Map<String, Run> locked = new HashMap<>(current);
        List<TransitionResult> results = new ArrayList<>(transitions.size());
        // The last state of each run changed: one row per run in the bulk update.
        Map<String, Run> changed = new LinkedHashMap<>();
        Map<String, Run> payloads = new LinkedHashMap<>();
        Set<String> closed = new HashSet<>();
        Columns closes = RunRows.closeColumns();
        List<JournalEvent> events = new ArrayList<>();
        boolean work = false;
        for (Transition t : transitions) {
            Run before = current.get(t.runId());
            if (before == null || !t.accepts(before)) {
                results.add(new TransitionResult(false, before));
                continue;
            }
            Run next = t.applyTo(before, now);
            current.put(next.id(), next);
            AttemptOutcome outcome = t.attemptOutcome();
            // Only an EXECUTING or WAITING run has an attempt open, and it closes once: a second
            // close of it in this batch would find it closed.
            if (outcome != null && (before.status() == RunStatus.EXECUTING || before.status() == RunStatus.WAITING)
                    && closed.add(next.id() + "#" + before.attempts())) {
                RunError error = outcome == AttemptOutcome.SUCCEEDED ? null : next.error();
                closes.row(next.id(), before.attempts(), now, outcome.name(), error == null ? null : error.type(),
                        error == null ? null : error.message(), error == null ? null : error.stackTrace());
            }
            if (!next.payload().equals(before.payload())) {
                payloads.put(next.id(), next);
            }
            if (!next.queue().equals(before.queue())) {
                newQueues.add(next.queue());
            }
            changed.put(next.id(), next);
            events.add(t.event(before, next, now));
            results.add(new TransitionResult(true, next));
            work |= before.status() == RunStatus.EXECUTING || next.status() == RunStatus.QUEUED
                    || before.status() == RunStatus.WAITING;
        }
        if (changed.isEmpty()) {
            return new Staged(results, List.of(), false);
        }
        created.addAll(ensureQueuesExist(c, newQueues));
        // The runs' new states and the attempts they closed: one statement, one round trip.
        Columns update = RunRows.updateColumns(changed.values(), locked);
        Columns close = closes.isEmpty() ? null : closes.withoutNullColumns("ended_at", "outcome");
        if (update != null || close != null) {
            String sql = close == null ? RunRows.bulkUpdate(update)
                    : update == null ? RunRows.bulkCloseAttempts(close)
                    : "WITH closed AS (" + RunRows.bulkCloseAttempts(close) + ") " + RunRows.bulkUpdate(update);
            try (PreparedStatement ps = ByPrimaryKey.prepare(c, sql)) {
                int next = close == null ? 1 : close.bind(c, ps, 1);
                if (update != null) {
                    update.bind(c, ps, next);
                }
                ByPrimaryKey.execute(ps);
            }
        }
        if (!payloads.isEmpty()) {
            Columns v = new Columns("id text", "payload text");
            payloads.values().forEach(r -> v.row(r.id(), r.payload()));
            try (PreparedStatement ps = ByPrimaryKey.prepare(c, "UPDATE td_run r SET payload = v.payload FROM " + v.from()
                    + " WHERE r.id = v.id")) {
                v.bind(c, ps, 1);
                ByPrimaryKey.execute(ps);
            }
        }
        return new Staged(results, events, work);
    }

    /**
     * Writes the runs' new states, one statement for all (each run at most once): the columns
     * that differ from {@code before}, the rows as this transaction locked them.
     */
    static void updateRuns(Connection c, Collection<Run> runs, Map<String, Run> before) throws SQLException {
        Columns v = RunRows.updateColumns(runs, before);
        if (v == null) {
            return;
        }
        // By primary key, as the completion write: on a young td_run PostgreSQL would scan it whole.
        try (PreparedStatement ps = ByPrimaryKey.prepare(c, RunRows.bulkUpdate(v))) {
            v.bind(c, ps, 1);
            ByPrimaryKey.execute(ps);
        }
    }

    /** Locks the runs in id order (so two nodes' batches never deadlock) and reads them, by primary key ({@link ByPrimaryKey}). */
    static Map<String, Run> lockRuns(Connection c, Collection<String> ids) throws SQLException {
        Map<String, Run> out = new HashMap<>();
        try (PreparedStatement ps = ByPrimaryKey.prepare(c, "SELECT " + RunRows.COLUMNS
                + " FROM td_run WHERE id = ANY(?) ORDER BY id FOR UPDATE")) {
            TextArray.bind(c, ps, 1, ids);
            ByPrimaryKey.execute(ps);
            try (ResultSet rs = ps.getResultSet()) {
                for (Run r : RunRows.readAll(rs)) {
                    out.put(r.id(), r);
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ timers

    public Promoted promoteDue(Instant now, int max) {
        if (max <= 0) {
            return new Promoted(List.of(), false);
        }
        return db.tx("promoting due runs", c -> {
            Map<String, Run> locked = new HashMap<>();
            List<Run> changed = new ArrayList<>();
            List<JournalEvent> events = new ArrayList<>();
            Set<String> expired = new HashSet<>();
            // TTLs first: a delayed run whose TTL has run out too never becomes QUEUED.
            for (Run r : lockDue(c, "status IN ('DELAYED', 'QUEUED') AND attempts = 0 AND expires_at <= ?",
                    "expires_at", now, max)) {
                locked.put(r.id(), r);
                Run next = r.toBuilder().status(RunStatus.EXPIRED).completedAt(now).updatedAt(now).build();
                changed.add(next);
                expired.add(r.id());
                events.add(new JournalEvent(0, now, JournalEvent.Kind.RUN_STATUS_CHANGED, r.id(), r.taskId(),
                        r.queue(), r.status(), RunStatus.EXPIRED, 0, "ttl expired"));
            }
            boolean queued = false;
            if (changed.size() < max) {
                for (Run r : lockDue(c, "status = 'DELAYED' AND (run_at IS NULL OR run_at <= ?)", "run_at", now,
                        max - changed.size())) {
                    if (expired.contains(r.id())) {
                        continue;  // locked by the TTL pass above, not yet written
                    }
                    locked.put(r.id(), r);
                    Run next = r.toBuilder().status(RunStatus.QUEUED).updatedAt(now).build();
                    changed.add(next);
                    queued = true;
                    events.add(new JournalEvent(0, now, JournalEvent.Kind.RUN_STATUS_CHANGED, r.id(), r.taskId(),
                            r.queue(), RunStatus.DELAYED, RunStatus.QUEUED, r.attempts(), "delay over"));
                }
            }
            if (changed.isEmpty()) {
                return new Promoted(List.of(), false);
            }
            updateRuns(c, changed, locked);
            journal.append(c, events, queued);
            return new Promoted(changed, queued);
        });
    }

    private static List<Run> lockDue(Connection c, String where, String order, Instant now, int max) throws SQLException {
        // SKIP LOCKED: another node promoting the same runs right now keeps them; each fires once.
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RunRows.COLUMNS + " FROM td_run WHERE " + where
                + " ORDER BY " + order + ", id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setObject(1, RunRows.ts(now));
            ps.setInt(2, max);
            try (ResultSet rs = ps.executeQuery()) {
                return RunRows.readAll(rs);
            }
        }
    }

    // ------------------------------------------------------------------ leases, logs, journal

    public List<String> renewLeases(String nodeId, Collection<String> runIds, Instant leaseUntil) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        Set<String> held = db.tx("renewing " + runIds.size() + " leases", c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE td_run SET lease_until = ? WHERE id = ANY(?) "
                    + "AND node_id = ? AND status IN ('EXECUTING', 'WAITING') RETURNING id")) {
                ps.setObject(1, RunRows.ts(leaseUntil));
                ps.setArray(2, c.createArrayOf("text", runIds.toArray()));
                ps.setString(3, nodeId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
        List<String> lost = new ArrayList<>();
        for (String id : runIds) {
            if (!held.contains(id)) {
                lost.add(id);
            }
        }
        return lost;
    }

    public void appendLogs(List<LogLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        db.tx("saving " + lines.size() + " log lines", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO td_log (run_id, attempt, at, level, message) VALUES (?, ?, ?, ?, ?)")) {
                for (LogLine l : lines) {
                    ps.setString(1, l.runId());
                    ps.setInt(2, l.attempt());
                    ps.setObject(3, RunRows.ts(l.at()));
                    ps.setString(4, l.level().name());
                    ps.setString(5, l.message());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public long trimJournal(long keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be >= 0, got " + keep);
        }
        return db.tx("trimming the journal", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM td_journal WHERE seq <= (SELECT last_seq FROM td_journal_head WHERE id = 1) - ?")) {
                ps.setLong(1, keep);
                return (long) ps.executeUpdate();
            }
        });
    }
}
