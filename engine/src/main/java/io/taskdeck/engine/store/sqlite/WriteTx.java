package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What a write request sees on the writer thread: the writer connection inside the group's
 * transaction, the journal's next sequence number, and the run-count changes it makes.
 */
public final class WriteTx {

    private record CountKey(String queue, RunStatus status, String taskId) {
    }

    final Conn conn;
    long seq;
    long lastAt;
    boolean wake;
    private final HashMap<CountKey, long[]> counts = new HashMap<>();

    WriteTx(Conn conn, long seq, long lastAt) {
        this.conn = conn;
        this.seq = seq;
        this.lastAt = lastAt;
    }

    public Conn conn() {
        return conn;
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
        PreparedStatement ps = conn.ps("INSERT INTO journal (" + Codec.JOURNAL_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        ps.setLong(1, next);
        ps.setLong(2, at);
        ps.setString(3, event.kind().name());
        ps.setString(4, event.runId());
        ps.setString(5, event.taskId());
        ps.setString(6, event.queue());
        ps.setString(7, Codec.name(event.from()));
        ps.setString(8, Codec.name(event.to()));
        ps.setInt(9, event.attempt());
        ps.setString(10, event.detail());
        ps.executeUpdate();
        seq = next;
        lastAt = at;
        return new JournalEvent(next, time, event.kind(), event.runId(), event.taskId(), event.queue(),
                event.from(), event.to(), event.attempt(), event.detail());
    }

    /** Records that a run moved from one (queue, status) to another; null for none (insert, delete). */
    public void count(Run before, Run after) {
        if (before != null && after != null && before.status() == after.status()
                && before.queue().equals(after.queue())) {
            return;
        }
        if (before != null) {
            counts.computeIfAbsent(new CountKey(before.queue(), before.status(), before.taskId()), k -> new long[1])[0]--;
        }
        if (after != null) {
            counts.computeIfAbsent(new CountKey(after.queue(), after.status(), after.taskId()), k -> new long[1])[0]++;
        }
    }

    public void count(String queue, RunStatus status, String taskId, long delta) {
        counts.computeIfAbsent(new CountKey(queue, status, taskId), k -> new long[1])[0] += delta;
    }

    /** Runs of a queue executing now, this request's changes included. */
    public long executing(String queue) throws SQLException {
        PreparedStatement ps = conn.ps("SELECT coalesce(sum(n), 0) FROM run_counts WHERE queue = ? AND status = 'EXECUTING'");
        ps.setString(1, queue);
        long n;
        try (ResultSet rs = ps.executeQuery()) {
            n = rs.next() ? rs.getLong(1) : 0;
        }
        for (Map.Entry<CountKey, long[]> e : counts.entrySet()) {
            if (e.getKey().status() == RunStatus.EXECUTING && e.getKey().queue().equals(queue)) {
                n += e.getValue()[0];
            }
        }
        return n;
    }

    void flushCounts() throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        PreparedStatement ps = conn.ps("INSERT INTO run_counts (queue, status, task_id, n) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (queue, status, task_id) DO UPDATE SET n = n + excluded.n");
        for (Map.Entry<CountKey, long[]> e : counts.entrySet()) {
            if (e.getValue()[0] == 0) {
                continue;
            }
            ps.setString(1, e.getKey().queue());
            ps.setString(2, e.getKey().status().name());
            ps.setString(3, e.getKey().taskId());
            ps.setLong(4, e.getValue()[0]);
            ps.executeUpdate();
        }
        counts.clear();
    }

    void discardCounts() {
        counts.clear();
    }
}
