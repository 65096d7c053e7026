package io.taskdeck.engine.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.PostgresRunStore;
import io.taskdeck.engine.store.PostgresStoreOptions;
import io.taskdeck.engine.store.Transition;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V4 moves the open attempts of a schema written by earlier versions (a RUNNING row per executing
 * run) onto their run rows: after the upgrade they still read as running, and end as they would have.
 */
class AttemptMigrationTest {

    private static final Instant CLAIMED = Instant.parse("2030-01-01T00:00:01Z");
    private static final Instant ENDED = Instant.parse("2030-01-01T00:00:03Z");

    @Test
    void anAttemptOpenBeforeTheUpgradeReadsAsRunningAndEndsWithItsStartAndWait() throws Exception {
        PostgresStoreOptions options = TestPostgres.freshSchema().build();
        Flyway.configure().dataSource(options.jdbcUrl(), options.username(), options.password())
                .schemas(options.schema()).defaultSchema(options.schema()).table("td_schema_history")
                .locations(PostgresRunStore.MIGRATIONS).target("3").load().migrate();
        try (Connection c = DriverManager.getConnection(options.jdbcUrl(), options.username(), options.password());
             Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + options.schema());
            s.execute("INSERT INTO td_queue (name, concurrency_limit, key_limit) VALUES ('q', 10, 1)");
            s.execute("INSERT INTO td_run (id, task_id, queue, status, payload, priority, order_key, created_at, "
                    + "started_at, updated_at, attempts, max_attempts, node_id, lease_until, dead_letter) VALUES "
                    + "('run_a', 't', 'q', 'EXECUTING', '{}', 0, 0, '2030-01-01T00:00:00Z', '2030-01-01T00:00:01Z', "
                    + "'2030-01-01T00:00:01Z', 1, 3, 'n1', '2030-01-01T00:00:31Z', 'NONE')");
            s.execute("INSERT INTO td_attempt (run_id, number, task_id, queue, node_id, wait_ms, started_at, outcome) "
                    + "VALUES ('run_a', 1, 't', 'q', 'n1', 1000, '2030-01-01T00:00:01Z', 'RUNNING')");
        }
        try (PostgresRunStore store = PostgresRunStore.open(options)) {
            assertThat(store.attempts("run_a")).containsExactly(
                    new Attempt("run_a", 1, "t", "q", "n1", 1000, CLAIMED, null, AttemptOutcome.RUNNING, null));

            store.apply(List.of(Transition.of("run_a", RunStatus.COMPLETED, RunStatus.EXECUTING).heldBy("n1")
                    .atAttempt(1).output("null").closeAttempt(AttemptOutcome.SUCCEEDED).build()), ENDED);

            assertThat(store.attempts("run_a")).containsExactly(
                    new Attempt("run_a", 1, "t", "q", "n1", 1000, CLAIMED, ENDED, AttemptOutcome.SUCCEEDED, null));
            assertThat(store.attemptsEndedBetween(CLAIMED, ENDED.plusMillis(1), "q", null, 10)).hasSize(1);
        }
    }
}
