package io.taskdeck.engine.store;

import io.taskdeck.engine.store.postgres.TestPostgres;

/** The PostgreSQL store passes the store conformance suite, each test in a fresh schema. */
class PostgresRunStoreTest extends RunStoreContract {

    @Override
    protected RunStore createStore() {
        return TestPostgres.freshStore();
    }
}
