package io.taskdeck.engine;

import io.taskdeck.engine.store.RunStore;
import io.taskdeck.engine.store.postgres.TestPostgres;

/** The engine's execution behaviour (retries, hooks, timeouts, crashes) on the PostgreSQL store. */
class PostgresEngineExecutionTest extends EngineExecutionTest {

    @Override
    protected RunStore createStore() {
        return TestPostgres.freshStore();
    }
}
