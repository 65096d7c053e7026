package io.taskdeck.engine.store;

import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
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

    @Test
    void theRunningAttemptIsReadFromTheRunRowAndWrittenOnceWhenItEnds() {
        insert(run());
        Run held = claim(1, at(2)).getFirst();

        assertThat(store.attempts(held.id())).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.RUNNING);
            assertThat(a.startedAt()).isEqualTo(at(2));
            assertThat(a.waitMs()).isEqualTo(2000 - 1);
            assertThat(a.nodeId()).isEqualTo(NODE);
        });
        complete(held, at(3));
        assertThat(store.attempts(held.id())).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
            assertThat(a.startedAt()).isEqualTo(at(2));
            assertThat(a.endedAt()).isEqualTo(at(3));
        });
        assertThat(store.attemptsEndedBetween(at(0), at(10), null, null, 10)).extracting(Attempt::runId)
                .containsExactly(held.id());
    }

    @Test
    void anAttemptLeftRunningInTheAttemptsTableByASchemaVersion1StoreIsClosedInPlace() throws Exception {
        insert(run());
        Run held = claim(1, at(1)).getFirst();
        store.close();
        // What version 1 left behind: the running attempt as a row, nothing in the run's row.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE runs SET attempt_started_at = NULL, attempt_wait_ms = NULL");
            st.executeUpdate("INSERT INTO attempts (run_id, number, task_id, queue, node_id, wait_ms, started_at, outcome) "
                    + "VALUES ('" + held.id() + "', 1, 't1', 'q', '" + NODE + "', 7, 1735689601000000000, 'RUNNING')");
        }
        store = reopenStore();

        assertThat(store.attempts(held.id())).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.RUNNING));
        store.apply(List.of(Transition.of(held.id(), RunStatus.QUEUED, RunStatus.EXECUTING).leaseExpiredBy(at(2))
                .error(RunError.of("LeaseExpiredError", "node lost")).runAt(at(2))
                .closeAttempt(AttemptOutcome.CRASHED).build()), at(2));

        assertThat(store.attempts(held.id())).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.CRASHED);
            assertThat(a.waitMs()).isEqualTo(7);
            assertThat(a.endedAt()).isEqualTo(at(2));
        });
    }
}
