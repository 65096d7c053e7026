package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.JournalEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Stages journal events as the last step of a writing transaction; the {@link Sequencer} numbers
 * them later. Staging takes no lock that other writers need, so writing transactions on every
 * node commit side by side (and share their WAL flushes) instead of one after another. The same
 * statement raises the notifications, delivered to the other nodes at commit.
 */
public final class JournalWriter {

    /** Inserts the events in their order (the bigserial id keeps it) and notifies: one round trip. */
    private static String stage(Columns v) {
        return "WITH ins AS (INSERT INTO td_journal_stage (at, kind, run_id, task_id, queue, from_status, to_status, "
                + "attempt, detail) SELECT v.at, v.kind, v.run_id, v.task_id, v.queue, v.from_status, v.to_status, "
                + "v.attempt, v.detail FROM " + v.fromWithOrdinality() + " ORDER BY v.pos) "
                + "SELECT pg_notify(?, ?), CASE WHEN ? THEN pg_notify(?, ?) END";
    }

    private static final String NOTIFY = "SELECT pg_notify(?, ?)";

    private final Channels channels;

    public JournalWriter(Channels channels) {
        this.channels = channels;
    }

    /** Stages the events, to be journaled with the next seqs once this transaction commits, and notifies. */
    public void append(Connection c, List<JournalEvent> events, boolean work) throws SQLException {
        if (events.isEmpty()) {
            if (work) {
                notifyWork(c);
            }
            return;
        }
        Columns v = new Columns("at timestamptz", "kind text", "run_id text", "task_id text", "queue text",
                "from_status text", "to_status text", "attempt int4", "detail text");
        for (JournalEvent e : events) {
            v.row(e.at(), e.kind().name(), e.runId(), e.taskId(), e.queue(), e.from() == null ? null : e.from().name(),
                    e.to() == null ? null : e.to().name(), e.attempt(), e.detail());
        }
        try (PreparedStatement ps = c.prepareStatement(stage(v))) {
            int i = v.bind(c, ps, 1);
            ps.setString(i++, channels.journal());
            ps.setString(i++, channels.origin());
            ps.setBoolean(i++, work);
            ps.setString(i++, channels.work());
            ps.setString(i, channels.origin());
            ps.executeQuery().close();
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
