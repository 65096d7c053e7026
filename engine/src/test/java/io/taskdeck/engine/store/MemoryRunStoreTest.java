package io.taskdeck.engine.store;

/** The memory store passes the store conformance suite. */
class MemoryRunStoreTest extends RunStoreContract {

    @Override
    protected RunStore createStore() {
        return new MemoryRunStore();
    }
}
