package io.taskdeck.engine.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How a {@link SqliteRunStore} opens its file.
 *
 * @param file             the database; created with its parent folders when missing. A
 *                         sidecar {@code <file>.lock} keeps other processes out.
 * @param durability       what a committed write survives, see {@link Durability}
 * @param retention        final runs (dead letters excepted until resolved) and journal events
 *                         older than this are pruned in the background
 * @param pruneInterval    how often the background pruning runs
 * @param readers          read connections (WAL lets them read while the writer commits)
 * @param maxSizeBytes     the largest the database may grow, 0 for no limit beyond the disk;
 *                         past it writes fail as they would on a full disk
 * @param maxBatch         the most write requests grouped into one transaction
 * @param clock            the time used for pruning and to void leases of a dead process at open
 */
public record SqliteStoreOptions(
        Path file,
        Durability durability,
        Duration retention,
        Duration pruneInterval,
        int readers,
        long maxSizeBytes,
        int maxBatch,
        InstantSource clock) {

    /** Where the console keeps its embedded store unless told otherwise. */
    public static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".taskdeck", "local.db");
    }

    /** What a write that returned survives. */
    public enum Durability {
        /**
         * The default: a committed write survives a crash of the process (WAL with
         * synchronous=NORMAL); a power loss or OS crash may lose the last commits, never
         * corrupting the file.
         */
        NORMAL,
        /** Also survives a power loss or OS crash (synchronous=FULL: an fsync per commit group). */
        FULL
    }

    public SqliteStoreOptions {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(clock, "clock");
        requirePositive(retention, "retention");
        requirePositive(pruneInterval, "pruneInterval");
        if (readers < 1) {
            throw new IllegalArgumentException("readers must be >= 1, got " + readers);
        }
        if (maxSizeBytes < 0) {
            throw new IllegalArgumentException("maxSizeBytes must be >= 0 (0: no limit), got " + maxSizeBytes);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    public static Builder builder(Path file) {
        return new Builder(file);
    }

    public Builder toBuilder() {
        return new Builder(file).durability(durability).retention(retention).pruneInterval(pruneInterval)
                .readers(readers).maxSizeBytes(maxSizeBytes).maxBatch(maxBatch).clock(clock);
    }

    public static final class Builder {
        private final Path file;
        private Durability durability = Durability.NORMAL;
        private Duration retention = Duration.ofDays(7);
        private Duration pruneInterval = Duration.ofMinutes(1);
        private int readers = 3;
        private long maxSizeBytes;
        private int maxBatch = 4096;
        private InstantSource clock = InstantSource.system();

        private Builder(Path file) {
            this.file = file;
        }

        public Builder durability(Durability value) { durability = value; return this; }
        public Builder retention(Duration value) { retention = value; return this; }
        public Builder pruneInterval(Duration value) { pruneInterval = value; return this; }
        public Builder readers(int value) { readers = value; return this; }
        public Builder maxSizeBytes(long value) { maxSizeBytes = value; return this; }
        public Builder maxBatch(int value) { maxBatch = value; return this; }
        public Builder clock(InstantSource value) { clock = value; return this; }

        public SqliteStoreOptions build() {
            return new SqliteStoreOptions(file, durability, retention, pruneInterval, readers, maxSizeBytes,
                    maxBatch, clock);
        }
    }
}
