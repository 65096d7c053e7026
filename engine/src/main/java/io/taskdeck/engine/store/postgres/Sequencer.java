package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.internal.Wakeup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * Numbers staged journal events: moves committed rows of td_journal_stage into td_journal with
 * the next gap-free seqs, in staging order, event times raised so they never go backwards.
 *
 * <p>One sequencer at a time, on any node: a pass holds a transaction-scoped advisory lock (one
 * per schema) from before it reads the stage until its commit. The next pass can only start its
 * reading statement after that commit, so it sees the head and the stage as the previous pass
 * left them, and a reader of td_journal only ever sees a prefix of the sequence with no holes.
 *
 * <p>Two callers. A background thread per store runs a pass after this node's writes, skipping it
 * when another node's pass holds the lock (and trying again shortly, since that pass may have
 * started before our events committed), so the stage stays small. And every journal read first
 * {@linkplain #catchUp catches up}: if anything is staged, it waits for the lock and moves it,
 * so an event committed before the read began is in the journal the read sees, as before.
 */
public final class Sequencer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sequencer.class);
    /** Events moved per statement: bounds one statement's memory and the lock's hold time. */
    static final int BATCH = 5_000;
    /** First half of the advisory lock key: Taskdeck's journal ("tdjn"); the schema's hash is the second. */
    private static final int LOCK_CLASS = 0x74646a6e;
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long ERROR_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final String STAGED = "SELECT EXISTS (SELECT 1 FROM td_journal_stage)";
    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(?, ?)";
    private static final String LOCK = "SELECT pg_advisory_xact_lock(?, ?)";
    /**
     * Moves the oldest staged events (up to a batch) to the journal and advances the head: one
     * statement, run under the lock, in a snapshot taken after the lock was granted.
     */
    private static final String MOVE = "WITH moved AS (DELETE FROM td_journal_stage WHERE id IN "
            + "(SELECT id FROM td_journal_stage ORDER BY id LIMIT ?) RETURNING *), "
            + "head AS (SELECT last_seq, last_at FROM td_journal_head WHERE id = 1), "
            + "numbered AS (SELECT m.*, row_number() OVER w AS pos, max(m.at) OVER w AS upto FROM moved m "
            + "WINDOW w AS (ORDER BY m.id)), "
            + "ins AS (INSERT INTO td_journal (seq, at, kind, run_id, task_id, queue, from_status, to_status, attempt, "
            + "detail) SELECT head.last_seq + n.pos, GREATEST(head.last_at, n.upto), n.kind, n.run_id, n.task_id, "
            + "n.queue, n.from_status, n.to_status, n.attempt, n.detail FROM numbered n, head), "
            + "upd AS (UPDATE td_journal_head h SET last_seq = h.last_seq + s.n, last_at = GREATEST(h.last_at, s.upto) "
            + "FROM (SELECT count(*) AS n, max(at) AS upto FROM moved) s WHERE h.id = 1 AND s.n > 0) "
            + "SELECT count(*) FROM moved";

    private final Db db;
    private final int lockKey;
    private final Wakeup wake = new Wakeup();
    private final Thread thread;
    private volatile boolean closed;

    public Sequencer(Db db, String schema) {
        this.db = db;
        this.lockKey = schema.hashCode();
        this.thread = Thread.ofPlatform().daemon().name("taskdeck-pg-sequencer").unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    /** Events were staged (here or, as a NOTIFY says, elsewhere): sequence them soon. */
    public void signal() {
        wake.signal();
    }

    /**
     * Within a reader's transaction: sequences everything staged that committed before this call,
     * waiting for another node's pass if one is running. Cheap when nothing is staged.
     */
    public void catchUp(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STAGED); ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return;
            }
        }
        lock(c, LOCK);
        while (move(c) == BATCH) {
            // a backlog larger than one batch: keep going under the same lock
        }
    }

    /** One background pass: -1 when another pass held the lock, else how many events it moved. */
    int passNow() {
        return db.tx("sequencing the journal", c -> {
            if (!lock(c, TRY_LOCK)) {
                return -1;
            }
            return move(c);
        });
    }

    private boolean lock(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, lockKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return sql.equals(LOCK) || rs.getBoolean(1);
            }
        }
    }

    private static int move(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MOVE)) {
            ps.setInt(1, BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void loop() {
        while (!closed) {
            try {
                wake.await(Long.MAX_VALUE);
                if (closed) {
                    return;
                }
                int moved = passNow();
                if (moved == -1) {
                    // Another node is sequencing; its pass may have begun before our events
                    // committed, so look again shortly.
                    wake.await(RETRY_NANOS);
                    wake.signal();
                } else if (moved == BATCH) {
                    wake.signal();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                // PostgreSQL unreachable: readers still catch up on their own; try again later.
                LOG.debug("sequencing the journal failed, retrying in a second: {}", e.getMessage());
                try {
                    wake.await(ERROR_BACKOFF_NANOS);
                } catch (InterruptedException ie) {
                    return;
                }
                wake.signal();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        wake.signal();
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
