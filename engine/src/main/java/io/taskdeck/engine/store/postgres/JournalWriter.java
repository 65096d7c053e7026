package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.JournalEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Appends journal events as the last step of a writing transaction.
 *
 * <p>Gap-free order across nodes: the transaction locks the single row of td_journal_head,
 * takes the next numbers from it and inserts its events, then commits. The lock is held until
 * commit, so the transaction that took seq n commits before the one that takes n + 1 can even
 * read the head; a reader therefore always sees a prefix of the sequence, never a hole that a
 * slower transaction would fill later. It costs one serialized step per writing transaction,
 * which the batching of claims and completions keeps rare. The same statement inserts the
 * events and raises notifications, delivered to the other nodes at commit.
 *
 * <p>Tried and measured (PostgresBench, 2 cores): writers staging events without a seq and one
 * sequencer numbering them lifts the serialization but costs a second insert, a delete and
 * their index entries per event, and the work is CPU-bound, so it came out slower. Note too
 * that a transaction that NOTIFYs holds PostgreSQL's notification queue lock through its
 * commit, so notifying writers commit one at a time whatever the journal does.
 */
public final class JournalWriter {

    /**
     * Locks the head, inserts the events numbered from it (times raised to the running maximum, so
     * they never go backwards), moves the head and notifies: one statement, one round trip.
     */
    private static String append(Columns v) {
        StringBuilder columns = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (String name : v.names()) {
            if (!name.equals("at")) {
                columns.append(", ").append(name);
                values.append(", v.").append(name);
            }
        }
        return "WITH old AS (SELECT last_seq, last_at FROM td_journal_head WHERE id = 1 FOR UPDATE), "
                + "ins AS (INSERT INTO td_journal (seq, at" + columns + ") SELECT old.last_seq + v.pos, "
                + "GREATEST(old.last_at, max(v.at) OVER (ORDER BY v.pos))" + values + " FROM old, " + v.fromWithOrdinality()
                + "), upd AS (UPDATE td_journal_head h SET last_seq = old.last_seq + ?, last_at = GREATEST(old.last_at, ?) "
                + "FROM old WHERE h.id = 1) "
                + "SELECT old.last_seq + ?, pg_notify(?, ?), CASE WHEN ? THEN pg_notify(?, ?) END FROM old";
    }

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
        Columns v = new Columns("at timestamptz", "kind text", "run_id text", "task_id text", "queue text",
                "from_status text", "to_status text", "attempt int4", "detail text");
        for (JournalEvent e : events) {
            v.row(e.at(), e.kind().name(), e.runId(), e.taskId(), e.queue(), e.from() == null ? null : e.from().name(),
                    e.to() == null ? null : e.to().name(), e.attempt(), e.detail());
        }
        v = v.withoutNullColumns("at");  // a column left out is null in td_journal
        try (PreparedStatement ps = c.prepareStatement(append(v))) {
            int i = v.bind(c, ps, 1);
            ps.setInt(i++, events.size());
            ps.setObject(i++, RunRows.ts(maxAt));
            ps.setInt(i++, events.size());
            ps.setString(i++, channels.journal());
            ps.setString(i++, channels.origin());
            ps.setBoolean(i++, work);
            ps.setString(i++, channels.work());
            ps.setString(i, channels.origin());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
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
