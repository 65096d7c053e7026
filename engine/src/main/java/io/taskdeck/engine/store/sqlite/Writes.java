package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.Attempt;
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
import io.taskdeck.engine.store.Transition;
import io.taskdeck.engine.store.TransitionResult;
import io.taskdeck.engine.store.sqlite.OpenRuns.OpenAttempt;
import io.taskdeck.engine.store.sqlite.OpenRuns.QueueRow;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/** The write requests of the SQLite store; each runs on the writer thread inside one savepoint. */
public final class Writes {

    /** The limit of a queue nobody declared (a run names it before any task does). */
    private static final int UNLIMITED = Integer.MAX_VALUE;
    private static final String SELECT_RUN = "SELECT " + Codec.RUN_COLUMNS + " FROM runs WHERE id = ?";
    private static final String FINAL_STATUSES =
            "('COMPLETED', 'FAILED', 'CRASHED', 'CANCELED', 'EXPIRED', 'TIMED_OUT', 'SYSTEM_FAILURE')";

    private Writes() {
    }

    // ---------------------------------------------------------------- helpers

    /** A run as this request sees it: unfinished runs from the mirror, others from the file. */
    private static Run findRun(WriteTx tx, String id) throws SQLException {
        OpenRuns.Open o = tx.open.get(id);
        if (o != null) {
            return o.run();
        }
        tx.flushRows();
        return findRun(tx.conn, id);
    }

    static Run findRun(Conn c, String id) throws SQLException {
        PreparedStatement ps = c.ps(SELECT_RUN);
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Codec.readRun(rs, 1) : null;
        }
    }

    /** Statement shapes for loading runs by id: a few sizes, so a small batch binds few parameters. */
    private static final int[] LOAD_CHUNKS = {1, 8, 32, 128};

    private static final String[] LOAD_SQL = java.util.Arrays.stream(LOAD_CHUNKS)
            .mapToObj(chunk -> "SELECT " + Codec.RUN_COLUMNS + ", " + Codec.OPEN_ATTEMPT_COLUMNS
                    + " FROM runs WHERE id IN (" + "?, ".repeat(chunk - 1) + "?)")
            .toArray(String[]::new);

    private static final int OPEN_ATTEMPT_COLUMN = Codec.RUN_COLUMN_COUNT + 1;

    /**
     * The runs with these ids, in one query per chunk: the driver's cost per query (not SQLite's)
     * dominates looking rows up one by one.
     */
    static Map<String, Run> loadRuns(Conn c, Collection<String> ids) throws SQLException {
        return loadRuns(c, ids, null);
    }

    private static Map<String, Run> loadRuns(Conn c, Collection<String> ids, Map<String, OpenAttempt> openAttempts)
            throws SQLException {
        Map<String, Run> out = new HashMap<>(ids.size() * 2);
        List<String> list = new ArrayList<>(new java.util.LinkedHashSet<>(ids));
        for (int from = 0, chunk; from < list.size(); from += chunk) {
            int left = list.size() - from;
            int shape = 0;
            while (shape < LOAD_CHUNKS.length - 1 && LOAD_CHUNKS[shape] < left) {
                shape++;
            }
            chunk = LOAD_CHUNKS[shape];
            PreparedStatement ps = c.ps(LOAD_SQL[shape]);
            for (int i = 0; i < chunk; i++) {
                // A short chunk repeats its last id: a few statement shapes, each prepared once.
                ps.setString(i + 1, list.get(Math.min(from + i, list.size() - 1)));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Run r = Codec.readRun(rs, 1);
                    out.put(r.id(), r);
                    OpenAttempt attempt = Codec.readOpenAttempt(rs, OPEN_ATTEMPT_COLUMN);
                    if (openAttempts != null && attempt != null) {
                        openAttempts.put(r.id(), attempt);
                    }
                }
            }
        }
        return out;
    }

    /** The attempt columns of an unfinished run's row; null for none or a run not in the mirror. */
    private static OpenAttempt attemptOf(WriteTx tx, String runId) {
        OpenRuns.Open o = tx.open.get(runId);
        return o == null ? null : o.attempt();
    }

    /**
     * Writes a run's new snapshot (only its changed columns) and keeps the mirror and the
     * counts in step; {@code attempt} is what the row's attempt columns hold, unchanged here.
     */
    private static void updateRun(WriteTx tx, Run before, Run after, OpenAttempt attempt) throws SQLException {
        updateRun(tx, before, attempt, after, attempt);
    }

    /** As above, the row's attempt columns going from {@code attemptBefore} to {@code attempt}. */
    private static void updateRun(WriteTx tx, Run before, OpenAttempt attemptBefore, Run after, OpenAttempt attempt)
            throws SQLException {
        tx.rows.update(before, attemptBefore, after, attempt);
        if (!before.queue().equals(after.queue())) {
            ensureQueueRow(tx, after.queue());
        }
        tx.open.put(after, attempt);
        tx.count(before, after);
    }

    private static void ensureQueueRow(WriteTx tx, String name) throws SQLException {
        requireName(name);
        if (tx.open.queueRow(name) != null) {
            return;
        }
        PreparedStatement ps = tx.conn.ps(
                "INSERT OR IGNORE INTO queues (name, concurrency_limit, key_limit, paused) VALUES (?, ?, 1, 0)");
        ps.setString(1, name);
        ps.setInt(2, UNLIMITED);
        ps.executeUpdate();
        tx.open.putQueue(new QueueRow(name, UNLIMITED, null, 1, false));
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("queue name must not be blank");
        }
    }

    private static JournalEvent statusEvent(Run r, RunStatus from, RunStatus to, int attempt, String detail, Instant at) {
        return new JournalEvent(0, at, JournalEvent.Kind.RUN_STATUS_CHANGED, r.id(), r.taskId(), r.queue(), from, to,
                attempt, detail);
    }

    // ---------------------------------------------------------------- queues

    public static QueueState ensureQueue(WriteTx tx, String name, int limit, int keyLimit) throws SQLException {
        requireName(name);
        if (limit < 0 || keyLimit < 1) {
            throw new IllegalArgumentException("queue " + name + ": concurrencyLimit must be >= 0 and concurrencyKeyLimit >= 1, got "
                    + limit + " and " + keyLimit);
        }
        PreparedStatement ps = tx.conn.ps("INSERT INTO queues (name, concurrency_limit, key_limit, paused) VALUES (?, ?, ?, 0) "
                + "ON CONFLICT (name) DO UPDATE SET concurrency_limit = excluded.concurrency_limit, key_limit = excluded.key_limit");
        ps.setString(1, name);
        ps.setInt(2, limit);
        ps.setInt(3, keyLimit);
        ps.executeUpdate();
        QueueRow old = tx.open.queueRow(name);
        tx.open.putQueue(new QueueRow(name, limit, old == null ? null : old.limitOverride(), keyLimit,
                old != null && old.paused()));
        tx.wake();
        return tx.queueState(name).orElseThrow();
    }

    public static QueueState updateQueue(WriteTx tx, String name, QueueUpdate update, Instant now) throws SQLException {
        QueueState q = tx.queueState(name)
                .orElseThrow(() -> new NoSuchElementException("no queue named " + name));
        String detail;
        PreparedStatement ps;
        QueueRow row = tx.open.queueRow(name);
        switch (update) {
            case QueueUpdate.OverrideLimit o -> {
                ps = tx.conn.ps("UPDATE queues SET limit_override = ? WHERE name = ?");
                ps.setInt(1, o.limit());
                detail = "concurrencyLimit overridden to " + o.limit();
                row = new QueueRow(name, row.limit(), o.limit(), row.keyLimit(), row.paused());
            }
            case QueueUpdate.ResetLimit r -> {
                ps = tx.conn.ps("UPDATE queues SET limit_override = NULL WHERE name = ?");
                detail = "concurrencyLimit reset to " + q.concurrencyLimit();
                row = new QueueRow(name, row.limit(), null, row.keyLimit(), row.paused());
            }
            case QueueUpdate.SetPaused p -> {
                ps = tx.conn.ps("UPDATE queues SET paused = ? WHERE name = ?");
                ps.setInt(1, p.paused() ? 1 : 0);
                detail = p.paused() ? "paused" : "resumed";
                row = new QueueRow(name, row.limit(), row.limitOverride(), row.keyLimit(), p.paused());
            }
        }
        tx.open.putQueue(row);
        ps.setString(update instanceof QueueUpdate.ResetLimit ? 1 : 2, name);
        ps.executeUpdate();
        tx.journal(new JournalEvent(0, now, JournalEvent.Kind.QUEUE_UPDATED, null, null, name, null, null, 0, detail));
        tx.wake();
        return tx.queueState(name).orElseThrow();
    }

    // ---------------------------------------------------------------- inserts

    public static List<InsertResult> insert(WriteTx tx, List<Run> batch, Instant now) throws SQLException {
        Set<String> ids = new HashSet<>();
        for (Run r : batch) {
            if (r.status() != RunStatus.DELAYED && r.status() != RunStatus.QUEUED) {
                throw new IllegalArgumentException("run " + r.id() + ": a new run is DELAYED or QUEUED, not " + r.status());
            }
            requireName(r.queue());
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("run " + r.id() + " already exists");
            }
        }
        long nowNs = Codec.nanos(now);
        List<InsertResult> out = new ArrayList<>(batch.size());
        Set<String> queuesSeen = new HashSet<>();
        PreparedStatement findKey = tx.conn.ps("SELECT run_id, expires_at FROM idempotency_keys WHERE task_id = ? AND key = ?");
        PreparedStatement putKey = tx.conn.ps(
                "INSERT OR REPLACE INTO idempotency_keys (task_id, key, run_id, expires_at) VALUES (?, ?, ?, ?)");
        for (Run r : batch) {
            if (r.idempotencyKey() != null) {
                findKey.setString(1, r.taskId());
                findKey.setString(2, r.idempotencyKey());
                String existingId = null;
                try (ResultSet rs = findKey.executeQuery()) {
                    if (rs.next()) {
                        long expires = rs.getLong(2);
                        if (rs.wasNull() || expires > nowNs) {
                            existingId = rs.getString(1);
                        }
                    }
                }
                Run existing = existingId == null ? null : findRun(tx, existingId);
                if (existing != null) {
                    out.add(new InsertResult(existing, true));
                    continue;
                }
            }
            if (queuesSeen.add(r.queue())) {
                ensureQueueRow(tx, r.queue());
            }
            // A duplicate id is refused by the primary key when the rows are written (PendingRows).
            long rowid = tx.open.newRowid();
            tx.rows.insert(r, rowid);
            if (r.idempotencyKey() != null) {
                putKey.setString(1, r.taskId());
                putKey.setString(2, r.idempotencyKey());
                putKey.setString(3, r.id());
                Codec.setInstant(putKey, 4, r.idempotencyKeyExpiresAt());
                putKey.executeUpdate();
            }
            tx.open.put(r, null, rowid);
            tx.count(null, r);
            tx.journal(new JournalEvent(0, now, JournalEvent.Kind.RUN_TRIGGERED, r.id(), r.taskId(), r.queue(),
                    null, r.status(), 0, null));
            out.add(new InsertResult(r, false));
        }
        tx.wake();
        return out;
    }

    // ---------------------------------------------------------------- claims

    public static List<Run> claim(WriteTx tx, ClaimRequest req) throws SQLException {
        if (req.max() == 0 || req.taskIds().isEmpty()) {
            return List.of();
        }
        List<List<Run>> perQueue = new ArrayList<>();
        for (QueueRow q : tx.open.queueRows()) {
            if (q.paused()) {
                continue;
            }
            OpenRuns.QueueRuns runs = tx.open.queueRuns(q.name());
            long free = q.effectiveLimit() - (long) runs.executing;
            if (free > 0 && !runs.queued.isEmpty()) {
                List<Run> picks = pick(runs, q, req, (int) Math.min(free, req.max()));
                if (!picks.isEmpty()) {
                    perQueue.add(picks);
                }
            }
        }
        // Round robin over the queues, so one deep queue does not starve the others.
        List<Run> out = new ArrayList<>(Math.min(req.max(), 256));
        for (int round = 0; out.size() < req.max(); round++) {
            boolean any = false;
            for (List<Run> picks : perQueue) {
                if (round < picks.size() && out.size() < req.max()) {
                    out.add(claimRun(tx, picks.get(round), req));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }

    /**
     * The next claimable runs of one queue in scheduling order: due, of a task this node runs,
     * and within its concurrency key's limit. A key whose oldest waiting run is left to another
     * node blocks the key's later runs, so per-key order holds.
     */
    private static List<Run> pick(OpenRuns.QueueRuns runs, QueueRow q, ClaimRequest req, int want) {
        Instant now = req.now();
        List<Run> picks = new ArrayList<>(Math.min(want, 256));
        Map<String, Integer> keySlots = new HashMap<>();
        Set<String> blockedKeys = new HashSet<>();
        for (Run r : runs.queued) {
            if (picks.size() >= want) {
                break;
            }
            if (r.runAt() != null && r.runAt().isAfter(now)) {
                continue;
            }
            String key = r.concurrencyKey();
            boolean keyed = key != null && !r.isRetryPending();
            if (!req.taskIds().contains(r.taskId())) {
                if (keyed) {
                    blockedKeys.add(key);
                }
                continue;
            }
            if (keyed) {
                if (blockedKeys.contains(key)) {
                    continue;
                }
                Integer holders = keySlots.get(key);
                if (holders == null) {
                    holders = runs.keyHolders.getOrDefault(key, 0);
                }
                if (holders >= q.keyLimit()) {
                    blockedKeys.add(key);
                    continue;
                }
                keySlots.put(key, holders + 1);
            }
            picks.add(r);
        }
        return picks;
    }

    private static Run claimRun(WriteTx tx, Run r, ClaimRequest req) throws SQLException {
        Instant at = req.now();
        Run next = r.toBuilder()
                .status(RunStatus.EXECUTING)
                .attempts(r.attempts() + 1)
                .error(null)
                .nodeId(req.nodeId())
                .leaseUntil(req.leaseUntil())
                .startedAt(r.startedAt() == null ? at : r.startedAt())
                .updatedAt(at)
                .build();
        long readyAt = r.runAt() != null ? r.runAt().toEpochMilli() : r.createdAt().toEpochMilli();
        long waitMs = Math.max(0, at.toEpochMilli() - readyAt);
        // The new attempt is kept in the run's row until it ends (see V2).
        OpenAttempt attempt = new OpenAttempt(at, waitMs);
        tx.rows.update(r, attemptOf(tx, r.id()), next, attempt);
        tx.open.put(next, attempt);
        tx.count(r, next);
        tx.journal(statusEvent(r, r.status(), RunStatus.EXECUTING, next.attempts(), null, at));
        return next;
    }

    public static List<Run> resume(WriteTx tx, String nodeId, List<String> runIds, Instant now, Instant leaseUntil)
            throws SQLException {
        List<Run> out = new ArrayList<>();
        for (String id : runIds) {
            OpenRuns.Open o = tx.open.get(id);
            Run r = o == null ? null : o.run();
            if (r == null || r.status() != RunStatus.WAITING || !nodeId.equals(r.nodeId())) {
                continue;
            }
            QueueRow q = tx.open.queueRow(r.queue());
            if (q != null && (q.paused() || tx.executing(r.queue()) >= q.effectiveLimit())) {
                continue;
            }
            Run next = r.toBuilder().status(RunStatus.EXECUTING).leaseUntil(leaseUntil).updatedAt(now).build();
            updateRun(tx, r, next, o.attempt());
            tx.journal(statusEvent(r, RunStatus.WAITING, RunStatus.EXECUTING, r.attempts(), "resumed", now));
            out.add(next);
        }
        return out;
    }

    // ---------------------------------------------------------------- transitions

    public static List<TransitionResult> apply(WriteTx tx, List<Transition> transitions, Instant now) throws SQLException {
        List<TransitionResult> out = new ArrayList<>(transitions.size());
        // Unfinished runs come from the mirror; finished ones (a requeue, a refused cancel) from the file.
        Map<String, OpenAttempt> open = new HashMap<>();
        Map<String, Run> current = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (Transition t : transitions) {
            OpenRuns.Open o = tx.open.get(t.runId());
            if (o != null) {
                current.put(t.runId(), o.run());
                if (o.attempt() != null) {
                    open.put(t.runId(), o.attempt());
                }
            } else {
                missing.add(t.runId());
            }
        }
        if (!missing.isEmpty()) {
            tx.flushRows();
            current.putAll(loadRuns(tx.conn, missing, open));
        }
        for (Transition t : transitions) {
            Run before = current.get(t.runId());
            if (before == null) {
                out.add(new TransitionResult(false, null));
                continue;
            }
            if (!t.accepts(before)) {
                out.add(new TransitionResult(false, before));
                continue;
            }
            OpenAttempt attemptBefore = open.get(before.id());
            OpenAttempt attempt = attemptBefore;
            if (attempt != null && attempt.isEnded()) {
                // The last attempt of a final run that changes again (a requeue): into the attempts table.
                tx.rows.endAttempt(attempt.toAttempt(before));
                attempt = null;
            }
            Run next = t.applyTo(before, now);
            if (t.attemptOutcome() != null) {
                attempt = closeAttempt(tx, before, next, attempt, now, t.attemptOutcome());
            }
            updateRun(tx, before, attemptBefore, next, attempt);
            current.put(next.id(), next);
            open.put(next.id(), attempt);
            tx.journal(t.event(before, next, now));
            tx.wake();
            out.add(new TransitionResult(true, next));
        }
        return out;
    }

    /**
     * Ends the run's current attempt; returns what the run's row holds as its attempt then.
     * Schema V2 keeps a running attempt in the run's row and writes its attempts row here, once;
     * since V4 the attempt that makes the run final stays in its row, marked ended (see
     * {@link OpenAttempt}). An attempt a version 1 store left RUNNING in the attempts table is
     * closed in place, and an attempt that already ended is left as it is.
     */
    private static OpenAttempt closeAttempt(WriteTx tx, Run run, Run next, OpenAttempt open, Instant now,
                                            AttemptOutcome outcome) throws SQLException {
        RunError recorded = outcome == AttemptOutcome.SUCCEEDED ? null : next.error();
        boolean holding = run.status() == RunStatus.EXECUTING || run.status() == RunStatus.WAITING;
        if (open != null && holding && run.attempts() > 0) {
            if (next.isFinal() && now.equals(next.completedAt())) {
                return open.ended(run.nodeId(), outcome);
            }
            tx.rows.endAttempt(new Attempt(run.id(), run.attempts(), run.taskId(), run.queue(), run.nodeId(),
                    open.waitMs(), open.startedAt(), now, outcome, recorded));
            return open;
        }
        tx.flushRows();
        PreparedStatement ps = tx.conn.ps("UPDATE attempts SET ended_at = ?, outcome = ?, error_type = ?, "
                + "error_message = ?, error_stack = ? WHERE run_id = ? AND number = ? AND outcome = 'RUNNING'");
        Codec.setInstant(ps, 1, now);
        ps.setString(2, outcome.name());
        ps.setString(3, recorded == null ? null : recorded.type());
        ps.setString(4, recorded == null ? null : recorded.message());
        ps.setString(5, recorded == null ? null : recorded.stackTrace());
        ps.setString(6, run.id());
        ps.setInt(7, run.attempts());
        ps.executeUpdate();
        return open;
    }

    // ---------------------------------------------------------------- due work and leases

    public static List<Run> promoteDue(WriteTx tx, Instant now, int max) throws SQLException {
        List<Run> changed = new ArrayList<>();
        for (Run r : tx.open.dueExpiries(now, max)) {
            Run next = r.toBuilder().status(RunStatus.EXPIRED).completedAt(now).updatedAt(now).build();
            updateRun(tx, r, next, attemptOf(tx, r.id()));
            tx.journal(statusEvent(r, r.status(), RunStatus.EXPIRED, 0, "ttl expired", now));
            changed.add(next);
        }
        for (Run r : tx.open.dueDelays(now, max - changed.size())) {
            Run next = r.toBuilder().status(RunStatus.QUEUED).updatedAt(now).build();
            updateRun(tx, r, next, attemptOf(tx, r.id()));
            tx.journal(statusEvent(r, RunStatus.DELAYED, RunStatus.QUEUED, r.attempts(), "delay over", now));
            changed.add(next);
        }
        if (!changed.isEmpty()) {
            tx.wake();
        }
        return changed;
    }

    /** Held runs whose lease ended before {@code now}: from the mirror, so it reads nothing. */
    public static List<Run> expiredLeases(WriteTx tx, Instant now, int max) {
        return tx.open.expiredLeases(now, max);
    }

    /** See {@link OpenRuns#nextDueAt}; {@code watermark} in nanoseconds since the epoch. */
    public static Optional<Instant> nextDueAt(WriteTx tx, long watermark) {
        return tx.open.nextDueAt(Codec.instant(watermark));
    }

    public static List<String> renewLeases(WriteTx tx, String nodeId, Collection<String> runIds, Instant leaseUntil)
            throws SQLException {
        List<String> lost = new ArrayList<>();
        for (String id : runIds) {
            OpenRuns.Open o = tx.open.get(id);
            Run r = o == null ? null : o.run();
            if (r == null || !nodeId.equals(r.nodeId())
                    || (r.status() != RunStatus.EXECUTING && r.status() != RunStatus.WAITING)) {
                lost.add(id);
                continue;
            }
            Run next = r.toBuilder().leaseUntil(leaseUntil).build();
            tx.rows.update(r, o.attempt(), next, o.attempt());
            tx.open.put(next, o.attempt());
        }
        return lost;
    }

    /**
     * Ends the leases of runs held when the store was opened: this process holds the file's
     * lock, so whoever held them is gone, and the engine's rescue can take them at once.
     */
    public static int voidLeases(WriteTx tx, Instant before) throws SQLException {
        PreparedStatement ps = tx.conn.ps("UPDATE runs SET lease_until = ? WHERE status IN ('EXECUTING', 'WAITING') "
                + "AND (lease_until IS NULL OR lease_until >= ?)");
        long at = Codec.nanos(before) - 1;
        ps.setLong(1, at);
        ps.setLong(2, at);
        return ps.executeUpdate();
    }

    /**
     * At open: ends the leases of a previous process (see {@link #voidLeases}), then loads the
     * unfinished runs and the queues into the writer's mirror. Returns how many leases ended.
     */
    public static int open(WriteTx tx, Instant now) throws SQLException {
        int voided = voidLeases(tx, now);
        tx.open.load(tx.conn);
        return voided;
    }

    public static Void appendLogs(WriteTx tx, List<LogLine> lines) throws SQLException {
        tx.flushRows();
        PreparedStatement ps = tx.conn.ps("INSERT INTO logs (run_id, attempt, at, level, message) "
                + "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?)");
        for (LogLine line : lines) {
            ps.setString(1, line.runId());
            ps.setInt(2, line.attempt());
            Codec.setInstant(ps, 3, line.at());
            ps.setString(4, line.level().name());
            ps.setString(5, line.message());
            ps.setString(6, line.runId());
            ps.executeUpdate();
        }
        return null;
    }

    public static boolean resetIdempotencyKey(WriteTx tx, String taskId, String key) throws SQLException {
        PreparedStatement ps = tx.conn.ps("DELETE FROM idempotency_keys WHERE task_id = ? AND key = ?");
        ps.setString(1, taskId);
        ps.setString(2, key);
        return ps.executeUpdate() > 0;
    }

    // ---------------------------------------------------------------- retention

    /**
     * Deletes up to {@code max} final runs that ended before {@code cutoff} (open dead letters
     * stay), with their attempts, logs and idempotency keys. Returns how many went.
     */
    public static int pruneRuns(WriteTx tx, Instant cutoff, int max) throws SQLException {
        tx.flushRows();
        PreparedStatement select = tx.conn.ps("SELECT id, queue, status, task_id FROM runs "
                + "WHERE completed_at IS NOT NULL AND completed_at < ? AND dead_letter <> 'OPEN' AND status IN "
                + FINAL_STATUSES + " ORDER BY completed_at LIMIT ?");
        select.setLong(1, Codec.nanos(cutoff));
        select.setInt(2, max);
        List<String[]> doomed = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                doomed.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
            }
        }
        PreparedStatement attempts = tx.conn.ps("DELETE FROM attempts WHERE run_id = ?");
        PreparedStatement logs = tx.conn.ps("DELETE FROM logs WHERE run_id = ?");
        PreparedStatement keys = tx.conn.ps("DELETE FROM idempotency_keys WHERE run_id = ?");
        PreparedStatement runs = tx.conn.ps("DELETE FROM runs WHERE id = ?");
        for (String[] d : doomed) {
            for (PreparedStatement ps : List.of(attempts, logs, keys, runs)) {
                ps.setString(1, d[0]);
                ps.executeUpdate();
            }
            tx.count(d[1], RunStatus.valueOf(d[2]), d[3], -1);
        }
        return doomed.size();
    }

    /** Deletes up to {@code max} journal events older than {@code cutoff}, always keeping the last one. */
    public static int pruneJournal(WriteTx tx, Instant cutoff, int max) throws SQLException {
        tx.flushRows();
        long bound = Math.min(tx.seq, Reads.seqAt(tx.conn, cutoff, tx.seq));
        tx.recent.prunedBelow(bound);
        PreparedStatement ps = tx.conn.ps("DELETE FROM journal WHERE seq IN "
                + "(SELECT seq FROM journal WHERE seq < ? ORDER BY seq LIMIT ?)");
        ps.setLong(1, bound);
        ps.setInt(2, max);
        return ps.executeUpdate();
    }
}
