package io.taskdeck.engine;

import io.taskdeck.engine.store.RunStore;
import io.taskdeck.engine.store.postgres.TestPostgres;

/** The engine's scheduling behaviour on the PostgreSQL store. */
class PostgresEngineSchedulingTest extends EngineSchedulingTest {

    @Override
    protected RunStore createStore() {
        return TestPostgres.freshStore();
    }
}
