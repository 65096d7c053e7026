package io.taskdeck.engine.store;

import io.taskdeck.engine.EngineOperationsTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The engine's operations behaviour holds on the SQLite store. */
class SqliteEngineOperationsTest extends EngineOperationsTest {

    @TempDir
    Path dir;

    @Override
    protected RunStore createStore() {
        return SqliteRunStore.open(dir.resolve("engine.db"));
    }
}
