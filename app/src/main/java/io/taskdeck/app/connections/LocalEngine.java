package io.taskdeck.app.connections;

import io.taskdeck.app.AppHome;
import io.taskdeck.client.TaskServer;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.TaskProvider;
import io.taskdeck.engine.store.SqliteRunStore;
import io.taskdeck.server.ApiKey;
import io.taskdeck.server.EngineTaskServer;
import io.taskdeck.server.TaskdeckServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "Local" connection: an embedded engine with the tasks of every {@link TaskProvider} on the
 * class path (the demo tasks among them), over a SQLite store, seen through the engine adapter as a
 * {@link TaskServer} like any remote server.
 *
 * <p>Local can be closed and opened again (on another store file, say). {@link #close()} stops the
 * engine and closes the store, so the file is checkpointed and its lock released; after
 * {@link #shutDown()} it never opens again, so a start still running in the background when the
 * console exits cannot leave an engine behind.
 */
public final class LocalEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalEngine.class);
    /** How long running attempts get to finish when Local closes. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private final AppHome home;
    private Engine engine;
    /** Volatile: the UI reads which file is open without waiting for an open or close in progress. */
    private volatile SqliteRunStore store;
    private boolean shutDown;

    public LocalEngine(AppHome home) {
        this.home = Objects.requireNonNull(home, "home");
    }

    /** Where Local keeps its runs unless the settings name another file. */
    public static Path databaseFile(AppHome home) {
        return home.dir().resolve("local.db");
    }

    public Path defaultDatabaseFile() {
        return databaseFile(home);
    }

    /** Opens Local on the default store file. */
    public TaskServer open() {
        return open(defaultDatabaseFile());
    }

    /**
     * Opens the store, starts the engine with every provided task and returns it as a TaskServer.
     *
     * @throws io.taskdeck.engine.store.StoreLockedException another process holds the file
     * @throws io.taskdeck.engine.store.StoreException       the file is not a Taskdeck store, is damaged or unreadable
     * @throws IllegalStateException                         Local is open already, or the console is exiting
     */
    public synchronized TaskServer open(Path storeFile) {
        Objects.requireNonNull(storeFile, "storeFile");
        if (shutDown) {
            throw new IllegalStateException("Local is not opened: the console is exiting");
        }
        if (engine != null) {
            throw new IllegalStateException("Local is open already (on " + store.file() + ")");
        }
        SqliteRunStore opened = SqliteRunStore.open(storeFile);
        try {
            Engine e = Engine.builder().store(opened).nodeId("local").build();
            for (TaskProvider provider : ServiceLoader.load(TaskProvider.class)) {
                var tasks = provider.tasks();
                for (TaskDefinition<?> task : tasks) {
                    e.register(task);
                }
                LOG.info("Loaded {} tasks from {}", tasks.size(), provider.name());
            }
            engine = e.start();
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        store = opened;
        LOG.info("Local is open on {}", storeFile);
        return EngineTaskServer.over(engine);
    }

    /** The store file Local has open, or null when it is not open. */
    public Path openFile() {
        SqliteRunStore s = store;
        return s == null ? null : s.file();
    }

    /**
     * Serves Local over HTTP on localhost (the same API a remote server has), e.g. for the SDK or
     * curl; the caller closes the returned server to stop serving. Port 0 picks a free port.
     */
    public synchronized TaskdeckServer serve(int port, ApiKey key) {
        if (engine == null) {
            throw new IllegalStateException("Local is not open");
        }
        return TaskdeckServer.builder().engine(engine).host("127.0.0.1").port(port).key(key)
                .stopEngine(false).start();
    }

    /** Stops the engine (running attempts get a short grace) and closes the store; Local may open again. */
    @Override
    public synchronized void close() {
        if (engine != null) {
            try {
                engine.stop(GRACE);
            } finally {
                engine = null;
                SqliteRunStore s = store;
                store = null;
                s.close();
                LOG.info("Local closed its store {}", s.file());
            }
        }
    }

    /** Closes Local for good: the console is exiting. */
    public synchronized void shutDown() {
        shutDown = true;
        close();
    }
}
