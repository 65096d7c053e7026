package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.SqliteRunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The WAL is copied back by the checkpointer's thread, and still starts over and stays bounded. */
class SqliteCheckpointerTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    /** A WAL frame: its 24-byte header and a page of the default 4 KB. */
    private static final long FRAME_BYTES = 24 + 4096;
    private static final String PAYLOAD = "{\"pad\":\"" + "p".repeat(1_000) + "\"}";

    @TempDir
    Path dir;

    private int sequence;

    private List<Run> batch(int n) {
        List<Run> runs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            runs.add(Run.builder(String.format("run_%08d", ++sequence), "t1", "q", T0).payload(PAYLOAD).build());
        }
        return runs;
    }

    /**
     * How many times SQLite started the WAL over (its header's checkpoint sequence number,
     * written with the first frame after each restart).
     */
    private static int walRestarts(Path wal) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16);
        try (FileChannel ch = FileChannel.open(wal)) {
            ch.read(header, 0);
        }
        return header.getInt(12);
    }

    @Test
    void underSustainedWritesTheWalStartsOverAndStaysNearItsRestartSize() throws Exception {
        Path file = dir.resolve("busy.db");
        Path wal = dir.resolve("busy.db-wal");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (SqliteRunStore store = SqliteRunStore.open(file)) {
            store.ensureQueue("q", 10, 1, T0);
            store.insert(batch(200), T0);
            int first = walRestarts(wal);
            // No pause between writes, so the writer never idles long enough for the checkpointer
            // to catch up alone: only the hand-over to the writer can restart the WAL.
            while (walRestarts(wal) < first + 2 && System.nanoTime() < deadline) {
                store.insert(batch(200), T0);
            }
            assertThat(walRestarts(wal)).as("WAL restarts").isGreaterThanOrEqualTo(first + 2);
            // The file keeps its largest extent: the WAL never grew far past the restart size.
            assertThat(Files.size(wal)).isLessThan(3 * Checkpointer.RESTART_FRAMES * FRAME_BYTES);
            assertThat(store.countByStatus(null, null).get(RunStatus.QUEUED)).isEqualTo(sequence);
        }
        try (SqliteRunStore reopened = SqliteRunStore.open(file)) {
            assertThat(reopened.countByStatus(null, null).get(RunStatus.QUEUED)).isEqualTo(sequence);
        }
    }

    @Test
    void closingCopiesTheWalBackAndRemovesIt() {
        Path file = dir.resolve("closed.db");
        List<Run> runs = batch(50);
        try (SqliteRunStore store = SqliteRunStore.open(file)) {
            store.insert(runs, T0);
            assertThat(dir.resolve("closed.db-wal")).exists();
        }
        // SQLite removes the WAL when the last connection closes: the checkpointer's is closed too.
        assertThat(dir.resolve("closed.db-wal")).doesNotExist();
        try (SqliteRunStore reopened = SqliteRunStore.open(file)) {
            assertThat(reopened.find(runs.getLast().id())).isPresent();
        }
    }
}
