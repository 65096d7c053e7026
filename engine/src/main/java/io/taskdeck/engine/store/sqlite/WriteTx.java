package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.QueueState;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a write request sees on the writer thread: the writer connection inside the group's
 * transaction, the journal's next sequence number, and the run-count changes it makes.
 */
public final class WriteTx {

    private record CountKey(String queue, RunStatus status, String taskId) {
    }

    final Conn conn;
    /** The unfinished runs and the queue rows as this transaction sees them. */
    final OpenRuns open = new OpenRuns();
    /** The last committed journal events, for readers. */
    final RecentEvents recent = new RecentEvents(1 << 16);
    /** The request's row writes, sent as multi-row statements when it ends or before it reads. */
    final PendingRows rows;
    private final ArrayList<JournalEvent> opEvents = new ArrayList<>();
    private final ArrayList<JournalEvent> groupEvents = new ArrayList<>();
    long seq;
    long lastAt;
    boolean wake;
    // Count changes of the running request and of the group's released requests, so that the
    // run_counts upserts happen once per group.
    private final HashMap<CountKey, long[]> opCounts = new HashMap<>();
    private final HashMap<CountKey, long[]> groupCounts = new HashMap<>();

    WriteTx(Conn conn, long seq, long lastAt) {
        this.conn = conn;
        this.rows = new PendingRows(conn, open);
        this.seq = seq;
        this.lastAt = lastAt;
    }

    /** The writer connection, with this request's pending rows written first. */
    public Conn conn() throws SQLException {
        flushRows();
        return conn;
    }

    /** Writes the request's pending rows; before it reads what they touch, and when it ends. */
    public void flushRows() throws SQLException {
        rows.flush();
    }

    /** Asks for the work listeners to be called after the commit. */
    public void wake() {
        wake = true;
    }

    /** Appends an event with the next seq; its time is raised to the last one's if it went backwards. */
    public JournalEvent journal(JournalEvent event) throws SQLException {
        long at = Codec.nanos(event.at());
        Instant time = event.at();
        if (at < lastAt) {
            at = lastAt;
            time = Codec.instant(at);
        }
        long next = seq + 1;
        seq = next;
        lastAt = at;
        JournalEvent stored = new JournalEvent(next, time, event.kind(), event.runId(), event.taskId(), event.queue(),
                event.from(), event.to(), event.attempt(), event.detail());
        opEvents.add(stored);
        rows.journal(stored, stored.runId() == null ? 0 : chain(stored.runId(), next));
        return stored;
    }

    /**
     * Makes {@code seq} the run's last event; returns the run's event before it, 0 for none.
     * This request's pending rows know it for the runs it touched, the mirror for the unfinished
     * runs; only a finished run's first event in this request reads its row (written up to date:
     * none of its pending rows sets it).
     */
    private long chain(String runId, long seq) throws SQLException {
        long pending = rows.lastSeq(runId);
        long mirrored = open.chain(runId, seq);
        if (pending >= 0) {
            return pending;
        }
        return mirrored >= 0 ? mirrored : Reads.lastSeq(conn, runId);
    }

    /** Records that a run moved from one (queue, status) to another; null for none (insert, delete). */
    public void count(Run before, Run after) {
        if (before != null && after != null && before.status() == after.status()
                && before.queue().equals(after.queue())) {
            return;
        }
        if (before != null) {
            count(before.queue(), before.status(), before.taskId(), -1);
        }
        if (after != null) {
            count(after.queue(), after.status(), after.taskId(), 1);
        }
    }

    public void count(String queue, RunStatus status, String taskId, long delta) {
        opCounts.computeIfAbsent(new CountKey(queue, status, taskId), k -> new long[1])[0] += delta;
    }

    /** Runs of a queue executing now, the group's and this request's changes included. */
    public long executing(String queue) {
        return open.queueRuns(queue).executing;
    }

    /** The change of a queue's count in one status that this group made and has not written to run_counts yet. */
    long pending(String queue, RunStatus status) {
        long n = 0;
        for (HashMap<CountKey, long[]> m : List.of(groupCounts, opCounts)) {
            for (Map.Entry<CountKey, long[]> e : m.entrySet()) {
                if (e.getKey().status() == status && e.getKey().queue().equals(queue)) {
                    n += e.getValue()[0];
                }
            }
        }
        return n;
    }

    /** A queue's state as this request sees it: run_counts plus the group's unwritten changes. */
    Optional<QueueState> queueState(String name) throws SQLException {
        Optional<QueueState> q = Reads.queueState(conn, name);
        if (q.isEmpty()) {
            return q;
        }
        QueueState s = q.get();
        return Optional.of(new QueueState(s.name(), s.concurrencyLimit(), s.concurrencyLimitOverride(), s.concurrencyKeyLimit(),
                s.paused(), (int) (s.executing() + pending(name, RunStatus.EXECUTING)),
                (int) (s.queued() + pending(name, RunStatus.QUEUED))));
    }

    /** The request succeeded: its changes join the group's. */
    void releaseOp() {
        for (Map.Entry<CountKey, long[]> e : opCounts.entrySet()) {
            groupCounts.computeIfAbsent(e.getKey(), k -> new long[1])[0] += e.getValue()[0];
        }
        opCounts.clear();
        groupEvents.addAll(opEvents);
        opEvents.clear();
        open.releaseOp();
    }

    /** The request was rolled back to its savepoint. */
    void discardOp() {
        opCounts.clear();
        opEvents.clear();
        rows.clear();
        open.discardOp();
    }

    /**
     * Writes the group's count changes to run_counts, once per (queue, status, task) however many
     * requests touched it; called just before COMMIT.
     */
    void flushGroup() throws SQLException {
        if (groupCounts.isEmpty()) {
            return;
        }
        PreparedStatement ps = conn.ps("INSERT INTO run_counts (queue, status, task_id, n) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (queue, status, task_id) DO UPDATE SET n = n + excluded.n");
        for (Map.Entry<CountKey, long[]> e : groupCounts.entrySet()) {
            if (e.getValue()[0] == 0) {
                continue;
            }
            ps.setString(1, e.getKey().queue());
            ps.setString(2, e.getKey().status().name());
            ps.setString(3, e.getKey().taskId());
            ps.setLong(4, e.getValue()[0]);
            ps.executeUpdate();
        }
        groupCounts.clear();
    }

    /** The group committed. */
    void committed() {
        recent.add(groupEvents);
        groupEvents.clear();
        open.committed();
    }

    /** The whole group was rolled back. */
    void discardGroup() {
        discardOp();
        groupCounts.clear();
        groupEvents.clear();
        open.discardGroup();
    }
}
