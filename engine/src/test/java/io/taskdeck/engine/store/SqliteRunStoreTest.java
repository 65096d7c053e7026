package io.taskdeck.engine.store;

import io.taskdeck.engine.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void aRefusedBatchLeavesNoQueueBehindAndTheQueueIsCreatedByTheNextInsert() {
        Run stored = insert(run());
        Run intoNewQueue = run().queue("fresh").build();
        Run duplicate = run().id(stored.id()).queue("fresh").build();

        assertThatThrownBy(() -> store.insert(List.of(intoNewQueue, duplicate), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(stored.id()).hasMessageContaining("already exists");
        assertThat(store.find(intoNewQueue.id())).isEmpty();
        assertThat(store.queue("fresh")).isEmpty();

        store.insert(List.of(intoNewQueue), T0);
        assertThat(store.queue("fresh")).hasValueSatisfying(q -> assertThat(q.queued()).isEqualTo(1));
        restart();
        assertThat(store.queue("fresh")).hasValueSatisfying(q -> assertThat(q.queued()).isEqualTo(1));
    }
}
