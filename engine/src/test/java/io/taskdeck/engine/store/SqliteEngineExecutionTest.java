package io.taskdeck.engine.store;

import io.taskdeck.engine.EngineExecutionTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The engine's execution behaviour holds on the SQLite store. */
class SqliteEngineExecutionTest extends EngineExecutionTest {

    @TempDir
    Path dir;

    @Override
    protected RunStore createStore() {
        return SqliteRunStore.open(dir.resolve("engine.db"));
    }
}
