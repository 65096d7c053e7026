package io.taskdeck.engine.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The SQLite store passes the store conformance suite, including reopening its file. */
class SqliteRunStoreTest extends DurableRunStoreContract {

    @TempDir
    Path dir;

    private SqliteStoreOptions options() {
        return SqliteStoreOptions.builder(dir.resolve("store.db")).clock(() -> T0).build();
    }

    @Override
    protected RunStore createStore() {
        return SqliteRunStore.open(options());
    }

    @Override
    protected RunStore reopenStore() {
        return SqliteRunStore.open(options());
    }
}
