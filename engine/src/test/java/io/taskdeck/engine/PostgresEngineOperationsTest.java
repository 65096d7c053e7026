package io.taskdeck.engine;

import io.taskdeck.engine.store.RunStore;
import io.taskdeck.engine.store.postgres.TestPostgres;

/** The engine's operator actions (requeue, bulk, replay, stats) on the PostgreSQL store. */
class PostgresEngineOperationsTest extends EngineOperationsTest {

    @Override
    protected RunStore createStore() {
        return TestPostgres.freshStore();
    }
}
