package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.JournalEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Appends journal events as the last step of a writing transaction.
 *
 * <p>Gap-free order across nodes: the transaction locks the single row of td_journal_head,
 * takes the next numbers from it and inserts its events, then commits. The lock is held until
 * commit, so the transaction that took seq n commits before the one that takes n + 1 can even
 * read the head; a reader therefore always sees a prefix of the sequence, never a hole that a
 * slower transaction would fill later. It costs one serialized step per writing transaction,
 * which the batching of claims and completions keeps rare. The same statement raises
 * notifications, delivered to the other nodes at commit.
 */
public final class JournalWriter {

    private static final String HEAD = "WITH old AS (SELECT last_seq, last_at FROM td_journal_head WHERE id = 1 FOR UPDATE), "
            + "upd AS (UPDATE td_journal_head h SET last_seq = old.last_seq + ?, last_at = GREATEST(old.last_at, ?) "
            + "FROM old WHERE h.id = 1) "
            + "SELECT old.last_seq, old.last_at, pg_notify(?, ?), CASE WHEN ? THEN pg_notify(?, ?) END FROM old";
    private static final String INSERT = "INSERT INTO td_journal (seq, at, kind, run_id, task_id, queue, from_status, "
            + "to_status, attempt, detail) VALUES (?,?,?,?,?,?,?,?,?,?)";
    private static final String NOTIFY = "SELECT pg_notify(?, ?)";

    private final Channels channels;

    public JournalWriter(Channels channels) {
        this.channels = channels;
    }

    /** Journals the events (times raised so they never go backwards) and notifies; returns the last seq. */
    public long append(Connection c, List<JournalEvent> events, boolean work) throws SQLException {
        if (events.isEmpty()) {
            if (work) {
                notifyWork(c);
            }
            return -1;
        }
        Instant maxAt = events.getFirst().at();
        for (JournalEvent e : events) {
            if (e.at().isAfter(maxAt)) {
                maxAt = e.at();
            }
        }
        long seq;
        Instant lastAt;
        try (PreparedStatement ps = c.prepareStatement(HEAD)) {
            ps.setInt(1, events.size());
            ps.setObject(2, RunRows.ts(maxAt));
            ps.setString(3, channels.journal());
            ps.setString(4, channels.origin());
            ps.setBoolean(5, work);
            ps.setString(6, channels.work());
            ps.setString(7, channels.origin());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
                OffsetDateTime t = rs.getObject(2, OffsetDateTime.class);
                lastAt = t == null ? Instant.MIN : t.toInstant();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (JournalEvent e : events) {
                Instant at = e.at().isBefore(lastAt) ? lastAt : e.at();
                lastAt = at;
                int i = 0;
                ps.setLong(++i, ++seq);
                ps.setObject(++i, RunRows.ts(at));
                ps.setString(++i, e.kind().name());
                ps.setString(++i, e.runId());
                ps.setString(++i, e.taskId());
                ps.setString(++i, e.queue());
                ps.setString(++i, e.from() == null ? null : e.from().name());
                ps.setString(++i, e.to() == null ? null : e.to().name());
                ps.setInt(++i, e.attempt());
                ps.setString(++i, e.detail());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return seq;
    }

    public void notifyWork(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NOTIFY)) {
            ps.setString(1, channels.work());
            ps.setString(2, channels.origin());
            ps.executeQuery().close();
        }
    }

    /** The notification channels of one schema, and this store instance's mark on what it sends. */
    public record Channels(String work, String journal, String origin) {
    }
}
