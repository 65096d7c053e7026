package io.taskdeck.app.connections;

import io.taskdeck.app.AppHome;
import io.taskdeck.client.TaskServer;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.TaskProvider;
import io.taskdeck.engine.store.RunStore;
import io.taskdeck.engine.store.SqliteRunStore;
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
 * class path (the demo tasks among them), seen through the engine adapter as a {@link TaskServer}
 * like any remote server. Closing it stops the engine.
 */
public final class LocalEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalEngine.class);

    private final AppHome home;
    private Engine engine;

    public LocalEngine(AppHome home) {
        this.home = Objects.requireNonNull(home, "home");
    }

    /**
     * The local store: a SQLite file in the home, so that Local's runs survive a restart or a
     * crash of the console. Another console holding the same file is refused with a message
     * that names it.
     */
    static RunStore store(AppHome home) {
        return SqliteRunStore.open(databaseFile(home));
    }

    /** Where Local keeps its runs. */
    public static Path databaseFile(AppHome home) {
        return home.dir().resolve("local.db");
    }

    /** Starts the engine with every provided task and returns it as a TaskServer; once. */
    public synchronized TaskServer open() {
        if (engine != null) {
            throw new IllegalStateException("Local is open already");
        }
        Engine e = Engine.builder().store(store(home)).nodeId("local").build();
        for (TaskProvider provider : ServiceLoader.load(TaskProvider.class)) {
            var tasks = provider.tasks();
            for (TaskDefinition<?> task : tasks) {
                e.register(task);
            }
            LOG.info("Loaded {} tasks from {}", tasks.size(), provider.name());
        }
        engine = e.start();
        return EngineTaskServer.over(engine);
    }

    /**
     * Serves Local over HTTP on localhost (the same API a remote server has), e.g. for the SDK or
     * curl; the caller closes the returned server to stop serving.
     */
    public synchronized TaskdeckServer serve(int port, io.taskdeck.server.ApiKey key) {
        if (engine == null) {
            throw new IllegalStateException("Local is not open");
        }
        return TaskdeckServer.builder().engine(engine).host("127.0.0.1").port(port).key(key)
                .stopEngine(false).start();
    }

    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.stop(Duration.ofSeconds(5));
            engine = null;
        }
    }
}
