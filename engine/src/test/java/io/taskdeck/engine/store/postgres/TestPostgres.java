package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.store.PostgresRunStore;
import io.taskdeck.engine.store.PostgresStoreOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per test JVM (started on first use, stopped at exit), and a fresh schema
 * per store: tests never see each other's rows.
 */
public final class TestPostgres {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setPGStartupWait(Duration.ofSeconds(30))
                        .setServerConfig("max_connections", "300")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return server;
    }

    public static String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + server().getPort() + "/postgres";
    }

    /** Options for a schema no other test uses. */
    public static PostgresStoreOptions.Builder freshSchema() {
        return PostgresStoreOptions.builder(jdbcUrl()).credentials("postgres", "postgres")
                .schema("t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet())
                .maxPoolSize(4);
    }

    public static PostgresRunStore freshStore() {
        return PostgresRunStore.open(freshSchema().build());
    }
}
