package io.taskdeck.engine.store;

import io.taskdeck.engine.EngineSchedulingTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The engine's scheduling behaviour holds on the SQLite store. */
class SqliteEngineSchedulingTest extends EngineSchedulingTest {

    @TempDir
    Path dir;

    @Override
    protected RunStore createStore() {
        return SqliteRunStore.open(dir.resolve("engine.db"));
    }
}
