package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The unfinished runs (DELAYED, QUEUED, EXECUTING, WAITING) and the queue rows, mirrored in
 * memory on the writer thread, so that claims, completions, resumes and lease renewals decide
 * without reading SQLite back. The file is locked to this process, so nothing else writes it:
 * the mirror is loaded once at open and then changed only together with the rows it mirrors.
 *
 * <p>It also answers what the scheduler asks (schema V4 dropped the indexes that did): the
 * leases of the held runs (EXECUTING, WAITING) and the timers of the others: delays, retry
 * timers, TTLs. The timers are kept in time order, touched only by runs that have them; the
 * held runs are few (this process's executions) and scanned.
 *
 * <p>And the seq of each unfinished run's last journal event (schema V4: the run's row holds it,
 * the run's next event points back to it), so that the events of the hot path chain without a
 * read. A run's entry leaves with the first event it gets once final.
 *
 * <p>It follows the transaction exactly: every change records its inverse, and a request
 * rolled back to its savepoint, or a group rolled back as a whole (disk full, I/O error), undoes
 * its changes here too; a committed group forgets its inverses. Not thread-safe: only the
 * writer thread touches it.
 */
final class OpenRuns {

    /**
     * The attempt columns of a run's row: the attempt it is executing (schema V2: when it started,
     * how long it had waited), or, once the run is final, the attempt that ended it (schema V4:
     * also its node and outcome; it ended when the run completed). The latter is moved to the
     * attempts table when the run changes again (a requeue), so no attempts row is written for
     * the last attempt of a run that is never requeued.
     */
    record OpenAttempt(Instant startedAt, long waitMs, String nodeId, AttemptOutcome outcome) {
        /** The attempt a run is executing; its node is the run's. */
        OpenAttempt(Instant startedAt, long waitMs) {
            this(startedAt, waitMs, null, null);
        }

        /** This attempt ended by the run's final transition, on {@code node}. */
        OpenAttempt ended(String node, AttemptOutcome how) {
            return new OpenAttempt(startedAt, waitMs, node, how);
        }

        /** Whether it is the attempt that ended a final run (else the run is executing it). */
        boolean isEnded() {
            return outcome != null;
        }

        /** As an attempts row: the ended attempt of the final run {@code run}. */
        Attempt toAttempt(Run run) {
            return new Attempt(run.id(), run.attempts(), run.taskId(), run.queue(), nodeId, waitMs, startedAt,
                    run.completedAt(), outcome, outcome == AttemptOutcome.SUCCEEDED ? null : run.error());
        }
    }

    /**
     * A run as its row stands, with the attempt columns of that row (null when they are empty) and
     * the row's rowid (0 when the mirror does not know it: the writer then finds the row by id).
     */
    record Open(Run run, OpenAttempt attempt, long rowid) {
    }

    /** A queue's row. */
    record QueueRow(String name, int limit, Integer limitOverride, int keyLimit, boolean paused) {
        int effectiveLimit() {
            return limitOverride != null ? limitOverride : limit;
        }
    }

    /** Scheduling order within a queue: {@link Run#orderKey()}, then id. */
    private static final Comparator<Run> ORDER = Comparator.comparingLong(Run::orderKey).thenComparing(Run::id);

    /** What a queue's unfinished runs add up to. */
    static final class QueueRuns {
        /** QUEUED runs in scheduling order, due or not. */
        final NavigableSet<Run> queued = new TreeSet<>(ORDER);
        int executing;
        /** Per concurrency key: its EXECUTING runs and its retry-pending (QUEUED) runs. */
        final HashMap<String, Integer> keyHolders = new HashMap<>();
    }

    /** A run's timer: when it is due, and the run. */
    private record Timer(Instant at, String id) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : id.compareTo(o.id);
        }
    }

    private final HashMap<String, Open> runs = new HashMap<>();
    /** EXECUTING and WAITING runs: their leases. */
    private final HashMap<String, Run> held = new HashMap<>();
    /** DELAYED runs by the end of their delay; one without a runAt is due at once, so first. */
    private final TreeSet<Timer> delays = new TreeSet<>();
    /** QUEUED runs with a runAt (a retry or a requeue), by it. */
    private final TreeSet<Timer> retries = new TreeSet<>();
    /** Runs that expire if not started: DELAYED or QUEUED, never attempted, with an expiresAt. */
    private final TreeSet<Timer> expiries = new TreeSet<>();
    private final HashMap<String, QueueRuns> byQueue = new HashMap<>();
    /** Per unfinished run (and a run whose final event is not journaled yet): its last event's seq, 0 for none. */
    private final HashMap<String, Long> lastSeqs = new HashMap<>();
    private final TreeMap<String, QueueRow> queueRows = new TreeMap<>();
    private final ArrayDeque<Runnable> opUndo = new ArrayDeque<>();
    private final ArrayDeque<Runnable> groupUndo = new ArrayDeque<>();
    /** The largest rowid of the runs table; the writer gives each run it inserts the next one. */
    private long lastRowid;

    /** Reads the unfinished runs and the queues from the file; on the writer connection, at open. */
    void load(Conn c) throws SQLException {
        clearRuns();
        queueRows.clear();
        opUndo.clear();
        groupUndo.clear();
        try (Statement st = c.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT name, concurrency_limit, limit_override, key_limit, paused FROM queues")) {
            while (rs.next()) {
                int override = rs.getInt(3);
                Integer limitOverride = rs.wasNull() ? null : override;
                queueRows.put(rs.getString(1),
                        new QueueRow(rs.getString(1), rs.getInt(2), limitOverride, rs.getInt(4), rs.getInt(5) != 0));
            }
        }
        // The unfinished runs through the NULL entries of the index runs_ended (V3): their completed_at is
        // empty. run_counts, kept in step with every commit, says how many there must be; a
        // file where they differ is read again with a scan of the whole table.
        long expected;
        try (Statement st = c.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(sum(n), 0) FROM run_counts WHERE status IN " + UNFINISHED)) {
            expected = rs.next() ? rs.getLong(1) : 0;
        }
        if (loadRuns(c, "completed_at IS NULL AND status IN " + UNFINISHED) != expected) {
            clearRuns();
            loadRuns(c, "status IN " + UNFINISHED);
        }
        try (Statement st = c.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(rowid), 0) FROM runs")) {
            lastRowid = rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * The rowid for a run about to be inserted: the file's largest plus one, as SQLite would pick,
     * but known to the writer, which then updates the row by it (a lookup in the table's own
     * B-tree) instead of by its id (a lookup in the id index first). A rolled-back insert leaves
     * a gap, which is harmless.
     */
    long newRowid() {
        return ++lastRowid;
    }

    private void clearRuns() {
        runs.clear();
        byQueue.clear();
        held.clear();
        delays.clear();
        retries.clear();
        expiries.clear();
        lastSeqs.clear();
    }

    private static final String UNFINISHED = "('DELAYED', 'QUEUED', 'EXECUTING', 'WAITING')";

    private int loadRuns(Conn c, String where) throws SQLException {
        int n = 0;
        PreparedStatement ps = c.connection().prepareStatement("SELECT " + Codec.RUN_COLUMNS
                + ", " + Codec.OPEN_ATTEMPT_COLUMNS + ", last_seq, rowid FROM runs WHERE " + where);
        int lastSeq = Codec.RUN_COLUMN_COUNT + Codec.OPEN_ATTEMPT_COLUMNS.split(", ").length + 1;
        try (ps; ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Run r = Codec.readRun(rs, 1);
                replace(r.id(), new Open(r, Codec.readOpenAttempt(rs, Codec.RUN_COLUMN_COUNT + 1), rs.getLong(lastSeq + 1)));
                lastSeqs.put(r.id(), rs.getLong(lastSeq));
                n++;
            }
        }
        return n;
    }

    Open get(String id) {
        return runs.get(id);
    }

    QueueRuns queueRuns(String queue) {
        QueueRuns q = byQueue.get(queue);
        return q != null ? q : EMPTY;
    }

    private static final QueueRuns EMPTY = new QueueRuns();

    /** The queues in name order. */
    Iterable<QueueRow> queueRows() {
        return queueRows.values();
    }

    QueueRow queueRow(String name) {
        return queueRows.get(name);
    }

    /**
     * The row of a run now is {@code next} (a final run leaves the mirror); undone with the request.
     * The row keeps the rowid the mirror knows for it.
     */
    void put(Run next, OpenAttempt attempt) {
        Open old = runs.get(next.id());
        put(next, attempt, old == null ? 0 : old.rowid());
    }

    /** As above, for a run whose row has the rowid {@code rowid} (0: not known). */
    void put(Run next, OpenAttempt attempt, long rowid) {
        String id = next.id();
        Open old = replace(id, next.isFinal() ? null : new Open(next, attempt, rowid));
        opUndo.push(() -> replace(id, old));
    }

    /**
     * Records {@code seq} as the run's last event and returns the one before it (0 for none), or
     * -1 when the mirror does not know the run's events (a run that was final before this event:
     * its row knows). The entry is kept while the run is unfinished; undone with the request.
     */
    long chain(String id, long seq) {
        Long before = runs.containsKey(id) ? lastSeqs.put(id, seq) : lastSeqs.remove(id);
        opUndo.push(() -> {
            if (before == null) {
                lastSeqs.remove(id);
            } else {
                lastSeqs.put(id, before);
            }
        });
        return before == null ? -1 : before;
    }

    void putQueue(QueueRow row) {
        QueueRow old = queueRows.put(row.name(), row);
        opUndo.push(() -> {
            if (old == null) {
                queueRows.remove(row.name());
            } else {
                queueRows.put(old.name(), old);
            }
        });
    }

    private Open replace(String id, Open next) {
        Open old = next == null ? runs.remove(id) : runs.put(id, next);
        if (old != null) {
            index(old.run(), -1);
        }
        if (next != null) {
            index(next.run(), 1);
        }
        return old;
    }

    // ---------------------------------------------------------------- leases and timers

    /** Held runs whose lease ended before {@code now}, earliest lease first, at most {@code max}. */
    List<Run> expiredLeases(Instant now, int max) {
        return held.values().stream()
                .filter(r -> r.leaseUntil() != null && r.leaseUntil().isBefore(now))
                .sorted(Comparator.comparing(Run::leaseUntil).thenComparing(Run::id))
                .limit(max)
                .toList();
    }

    /** DELAYED runs whose delay is over at {@code now}, in order, at most {@code max}. */
    List<Run> dueDelays(Instant now, int max) {
        return due(delays, now, max);
    }

    /** Runs whose TTL ran out by {@code now} before they started, in order, at most {@code max}. */
    List<Run> dueExpiries(Instant now, int max) {
        return due(expiries, now, max);
    }

    private List<Run> due(NavigableSet<Timer> timers, Instant now, int max) {
        List<Run> out = new ArrayList<>();
        for (Timer t : timers) {
            if (out.size() >= max || t.at().isAfter(now)) {
                break;
            }
            out.add(runs.get(t.id()).run());
        }
        return out;
    }

    /**
     * The earliest delay end, retry timer after {@code watermark} (the latest instant claims ran
     * at: an earlier one is due already and waits for a slot, not for time), TTL or lease end.
     */
    Optional<Instant> nextDueAt(Instant watermark) {
        List<Instant> candidates = new ArrayList<>(4);
        if (!delays.isEmpty()) {
            Run first = runs.get(delays.first().id()).run();
            candidates.add(first.runAt() != null ? first.runAt() : first.createdAt());
        }
        Timer retry = retries.ceiling(new Timer(watermark.plusNanos(1), ""));
        if (retry != null) {
            candidates.add(retry.at());
        }
        if (!expiries.isEmpty()) {
            candidates.add(expiries.first().at());
        }
        // A lease is over after its end (expiredLeases): due the first instant after it.
        held.values().stream().map(Run::leaseUntil).filter(Objects::nonNull).min(Comparator.naturalOrder())
                .ifPresent(end -> candidates.add(end.plusNanos(1)));
        return candidates.stream().min(Comparator.naturalOrder());
    }

    /** Adds ({@code delta} 1) or removes (-1) a run's timers and lease. */
    private void timers(Run r, int delta) {
        RunStatus s = r.status();
        if (s == RunStatus.EXECUTING || s == RunStatus.WAITING) {
            if (delta > 0) {
                held.put(r.id(), r);
            } else {
                held.remove(r.id());
            }
            return;
        }
        if (s == RunStatus.DELAYED) {
            add(delays, new Timer(r.runAt() != null ? r.runAt() : Instant.MIN, r.id()), delta);
        } else if (r.runAt() != null) {
            add(retries, new Timer(r.runAt(), r.id()), delta);
        }
        if (r.attempts() == 0 && r.expiresAt() != null) {
            add(expiries, new Timer(r.expiresAt(), r.id()), delta);
        }
    }

    private static void add(NavigableSet<Timer> timers, Timer t, int delta) {
        if (delta > 0) {
            timers.add(t);
        } else {
            timers.remove(t);
        }
    }

    private void index(Run r, int delta) {
        timers(r, delta);
        QueueRuns q = byQueue.get(r.queue());
        if (q == null) {
            q = new QueueRuns();
            byQueue.put(r.queue(), q);
        }
        RunStatus s = r.status();
        if (s == RunStatus.QUEUED) {
            if (delta > 0) {
                q.queued.add(r);
            } else {
                q.queued.remove(r);
            }
        } else if (s == RunStatus.EXECUTING) {
            q.executing += delta;
        }
        if (r.concurrencyKey() != null && (s == RunStatus.EXECUTING || r.isRetryPending())) {
            q.keyHolders.merge(r.concurrencyKey(), delta, (a, b) -> a + b == 0 ? null : a + b);
        }
        if (delta < 0 && q.queued.isEmpty() && q.executing == 0 && q.keyHolders.isEmpty()) {
            byQueue.remove(r.queue());
        }
    }

    // ---------------------------------------------------------------- following the transaction

    /** The request succeeded (its savepoint was released): its changes join the group's. */
    void releaseOp() {
        // Undo runs newest first: the group's log gets the request's entries on top.
        while (!opUndo.isEmpty()) {
            groupUndo.push(opUndo.pollLast());
        }
    }

    /** The request was rolled back to its savepoint. */
    void discardOp() {
        for (Runnable undo; (undo = opUndo.poll()) != null; ) {
            undo.run();
        }
    }

    /** The group committed. */
    void committed() {
        opUndo.clear();
        groupUndo.clear();
    }

    /** The whole group was rolled back. */
    void discardGroup() {
        discardOp();
        for (Runnable undo; (undo = groupUndo.poll()) != null; ) {
            undo.run();
        }
    }
}
