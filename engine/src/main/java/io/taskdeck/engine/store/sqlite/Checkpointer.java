package io.taskdeck.engine.store.sqlite;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Copies the WAL back into the database file on its own thread and connection, so that the
 * writer thread (the store's serial bound) no longer does it inside a COMMIT, as SQLite's
 * automatic checkpoint did: reading the frames, writing the pages, syncing both files.
 *
 * <p>A passive checkpoint never blocks the writer, but SQLite starts the WAL over from its
 * beginning only when a write transaction begins on a WAL that is copied back entirely, and under
 * sustained load the writer has always committed a group the checkpointer has not copied yet. So
 * once the WAL holds {@link #RESTART_FRAMES} frames the checkpointer hands over: the writer copies
 * the little that is left (what was committed during the checkpointer's last pass) right after its
 * next COMMIT, and its next transaction restarts the WAL (trimmed to {@code journal_size_limit}).
 * That bounds the WAL as the automatic checkpoint did, at a small part of its cost. Under light
 * load the checkpointer catches up alone between commits and the writer never checkpoints.
 *
 * <p>The checkpointer's connection has the writer's {@code synchronous} setting, so a checkpoint
 * syncs the WAL before and the database file after copying, as before. A checkpoint that fails (a
 * full disk, an I/O error) is logged and tried again at the next pass: the commits it follows are
 * durable in the WAL already, and no caller is waiting for it.
 */
public final class Checkpointer implements AutoCloseable {

    /** The WAL size (frames of one page) at which the WAL is restarted: SQLite's autocheckpoint threshold before. */
    static final int RESTART_FRAMES = 8192;

    /**
     * The least time between two passes of the checkpointer under load: a page that many commits
     * change (the tail of an index, the run counts) is copied once per pass, not once per commit.
     * Engine end to end, 250 ms cost the checkpointer ~1.7 us of CPU per run where 50 ms cost ~2.7.
     */
    private static final Duration PAUSE = Duration.ofMillis(250);
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private static final String PASSIVE = "PRAGMA wal_checkpoint(PASSIVE)";

    private final Path file;
    private final Conn conn;
    private final Thread thread;
    /** Commits so far; written by the writer thread only. */
    private volatile long commits;
    /** The checkpointer is parked until the next commit. */
    private volatile boolean idle;
    /** The WAL is due for its restart: the writer copies the rest back after its next commit. */
    private volatile boolean handOver;
    private volatile boolean closed;
    /** A failure was logged and no checkpoint succeeded since: keeps a failing disk from flooding the log. */
    private volatile boolean failing;

    /** Starts the checkpointer of {@code file} on {@code conn}, a connection of its own. */
    public Checkpointer(Path file, Conn conn) {
        this.file = file;
        this.conn = conn;
        this.thread = new Thread(this::loop, "taskdeck-sqlite-checkpointer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Called by the writer thread after each COMMIT, outside any transaction of {@code writer}. */
    void committed(Conn writer) {
        commits = commits + 1;
        if (idle) {
            LockSupport.unpark(thread);
        }
        if (handOver) {
            handOver = false;
            checkpoint(writer);
        }
    }

    private void loop() {
        long seen = commits;
        while (!closed) {
            if (commits == seen) {
                // Nothing new: sleep until the writer's next commit (it reads idle after writing commits).
                idle = true;
                if (commits == seen && !closed) {
                    LockSupport.park(this);
                }
                idle = false;
                continue;
            }
            // Let the commits of the next moments join this pass: a burst costs one pass, not one per commit.
            LockSupport.parkNanos(this, PAUSE.toNanos());
            seen = commits;
            if (!handOver && !closed && checkpoint(conn) >= RESTART_FRAMES) {
                handOver = true;
            }
        }
    }

    /** Runs a passive checkpoint on {@code c}; returns the frames the WAL holds, or -1 when it failed. */
    private int checkpoint(Conn c) {
        try (ResultSet rs = c.ps(PASSIVE).executeQuery()) {
            int frames = rs.next() ? rs.getInt(2) : 0;
            if (failing) {
                failing = false;
                LOG.info("{}: checkpoints of the WAL succeed again", file);
            }
            return frames;
        } catch (SQLException | RuntimeException e) {
            // Never let the checkpointer die: the WAL would grow without bound.
            if (!failing) {
                failing = true;
                LOG.warn("{}: could not copy the WAL back into the file, will try again: {}", file, e.getMessage());
            }
            return -1;
        }
    }

    /** Stops the thread and closes its connection; the last connection to close checkpoints the rest. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        conn.close();
    }
}
