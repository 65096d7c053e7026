package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.store.SqliteStoreOptions;
import io.taskdeck.engine.store.StoreException;
import io.taskdeck.engine.store.StoreLockedException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The database file of a SQLite store: the exclusive lock on its sidecar {@code <file>.lock},
 * the checks that refuse a foreign or damaged file before anything is written to it, the
 * schema migrations, and connections configured for WAL.
 */
public final class StoreFile implements AutoCloseable {

    /** The Flyway history table: its presence is what marks a SQLite file as Taskdeck's. */
    public static final String HISTORY_TABLE = "taskdeck_schema_history";
    /** The newest schema version this build knows. */
    public static final int SCHEMA_VERSION = 4;
    private static final String MIGRATIONS = "classpath:io/taskdeck/engine/store/sqlite";
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private final Path file;
    private final SqliteStoreOptions options;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StoreFile(Path file, SqliteStoreOptions options, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.options = options;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    public Path file() {
        return file;
    }

    /** Locks, checks and migrates the file; throws a {@link StoreException} naming it when it cannot. */
    public static StoreFile open(SqliteStoreOptions options) {
        Path file = options.file().toAbsolutePath().normalize();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new StoreException("cannot create the folder of the store " + file + ": " + e, e);
        }
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("cannot open the lock file " + lockFile + " of the store " + file + ": " + e, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;  // held by this very process, through another store on the same file
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot lock " + lockFile + " for the store " + file + ": " + e, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new StoreLockedException(file, lockFile);
        }
        StoreFile store = new StoreFile(file, options, channel, lock);
        try {
            store.checkAndMigrate();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private void checkAndMigrate() {
        boolean fresh = !Files.exists(file) || size() == 0;
        Integer version = null;
        if (!fresh) {
            checkHeader();
            version = checkSchemaHistory();
        }
        try (Connection c = connect(false)) {
            try (Statement st = c.createStatement()) {
                if (fresh) {
                    // Must come before the first table: lets pruning give pages back to the disk.
                    st.execute("PRAGMA auto_vacuum = INCREMENTAL");
                }
                st.execute("PRAGMA journal_mode = WAL");
            }
        } catch (SQLException e) {
            throw new StoreException(Failures.describe(file, "open", e), e);
        }
        if (version != null && version == SCHEMA_VERSION) {
            // Up to date: Flyway's setup costs more than the rest of opening the store.
            return;
        }
        try {
            Flyway.configure(StoreFile.class.getClassLoader())
                    .dataSource(dataSource(false))
                    .locations(MIGRATIONS)
                    .table(HISTORY_TABLE)
                    .failOnMissingLocations(true)
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot bring the schema of the store " + file + " up to date: " + e.getMessage(), e);
        }
    }

    private long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new StoreException("cannot read the store " + file + ": " + e, e);
        }
    }

    private void checkHeader() {
        byte[] header = new byte[SQLITE_HEADER.length];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(header, 0, header.length);
        } catch (IOException e) {
            throw new StoreException("cannot read the store " + file + ": " + e, e);
        }
        if (read < header.length || !Arrays.equals(header, SQLITE_HEADER)) {
            throw new StoreException("refusing to open " + file + ": it is not a SQLite database, so not a Taskdeck "
                    + "store; it was left untouched (choose another file or move it away)");
        }
    }

    /**
     * Reads (never writes) a SQLite file to make sure it is Taskdeck's and not from a newer build;
     * returns its schema version (null when it has none yet).
     */
    private Integer checkSchemaHistory() {
        List<String> tables = new ArrayList<>();
        Integer version = null;
        try (Connection c = connect(true); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (tables.contains(HISTORY_TABLE)) {
                try (ResultSet rs = st.executeQuery("SELECT version FROM " + HISTORY_TABLE
                        + " WHERE success = 1 AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
                    if (rs.next()) {
                        version = Integer.valueOf(rs.getString(1));
                    }
                }
            }
        } catch (SQLException | NumberFormatException e) {
            throw new StoreException("refusing to open " + file + ": it could not be read as a Taskdeck store ("
                    + e.getMessage() + "); it was left untouched", e);
        }
        if (!tables.isEmpty() && !tables.contains(HISTORY_TABLE)) {
            throw new StoreException("refusing to open " + file + ": it is a SQLite database without Taskdeck's schema "
                    + "history (tables " + tables + "); it was left untouched (choose another file)");
        }
        if (version != null && version > SCHEMA_VERSION) {
            throw new StoreException("refusing to open " + file + ": its schema version " + version
                    + " was written by a newer Taskdeck (this one knows up to " + SCHEMA_VERSION + ")");
        }
        return version;
    }

    private SQLiteConfig config(boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setReadOnly(readOnly);
        // The driver would otherwise prepare and run "SELECT last_insert_rowid()" after every insert.
        config.setGetGeneratedKeys(false);
        if (!readOnly) {
            config.setSynchronous(options.durability() == SqliteStoreOptions.Durability.FULL
                    ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
            config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        }
        return config;
    }

    private SQLiteDataSource dataSource(boolean readOnly) {
        SQLiteDataSource ds = new SQLiteDataSource(config(readOnly));
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }

    private Connection connect(boolean readOnly) throws SQLException {
        return dataSource(readOnly).getConnection();
    }

    /** The one connection that writes: WAL, the chosen synchronous mode, the size limit. */
    public Conn openWriter() {
        try {
            Connection c = connect(false);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA cache_size = -65536");
                // The Checkpointer copies the WAL back on its own thread; the writer only finishes
                // the copy before the WAL restarts (every Checkpointer.RESTART_FRAMES frames).
                st.execute("PRAGMA wal_autocheckpoint = 0");
                // Keep the WAL file from staying large after a burst once it is checkpointed.
                st.execute("PRAGMA journal_size_limit = 67108864");
                if (options.maxSizeBytes() > 0) {
                    long pageSize;
                    try (ResultSet rs = st.executeQuery("PRAGMA page_size")) {
                        pageSize = rs.next() ? rs.getLong(1) : 4096;
                    }
                    st.execute("PRAGMA max_page_count = " + Math.max(1, options.maxSizeBytes() / pageSize));
                }
            }
            // Transactions are the writer's groups; without auto-commit the driver also skips
            // its per-statement transaction check.
            c.setAutoCommit(false);
            return new Conn(c);
        } catch (SQLException e) {
            throw new StoreException(Failures.describe(file, "open", e), e);
        }
    }

    /**
     * The connection that checkpoints the WAL: with the writer's {@code synchronous} setting,
     * which decides what a checkpoint syncs.
     */
    public Conn openCheckpointer() {
        try {
            return new Conn(connect(false));
        } catch (SQLException e) {
            throw new StoreException(Failures.describe(file, "open", e), e);
        }
    }

    public Conn openReader() {
        try {
            Connection c = connect(false);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA query_only = 1");
                st.execute("PRAGMA cache_size = -8000");
            }
            return new Conn(c);
        } catch (SQLException e) {
            throw new StoreException(Failures.describe(file, "open", e), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it anyway
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
