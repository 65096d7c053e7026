package io.taskdeck.engine.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.engine.store.PostgresRunStore;
import io.taskdeck.engine.store.PostgresStoreOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A batch write by run ids is planned as primary-key probes on a young td_run (filled, never
 * analyzed), where PostgreSQL's own choice is a hash join over the whole table; and the
 * transaction's later statements are planned with the operator's settings again.
 */
class ByPrimaryKeyTest {

    @Test
    void batchWriteOnAYoungTableProbesThePrimaryKeyAndLeavesTheSettingsAsTheyWere() throws SQLException {
        PostgresStoreOptions options = TestPostgres.freshSchema().build();
        try (PostgresRunStore ignored = PostgresRunStore.open(options);
             Connection c = TestPostgres.server().getPostgresDatabase().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + options.schema());
                s.execute("INSERT INTO td_run (id, task_id, queue, status, payload, priority, order_key, created_at, "
                        + "updated_at, attempts, max_attempts, dead_letter) SELECT format('run_%s', lpad(g::text, 8, '0')), "
                        + "'t', 'q', 'EXECUTING', '{}', 0, g, now(), now(), 1, 3, 'NONE' FROM generate_series(1, 20000) g");
            }
            Columns update = new Columns("id text", "status text");
            for (int i = 1; i <= 500; i++) {
                update.row("run_%08d".formatted(i * 40), "COMPLETED");
            }
            String sql = "EXPLAIN " + RunRows.bulkUpdate(update);
            try (PreparedStatement own = c.prepareStatement(sql)) {
                update.bind(c, own, 1);
                assertThat(plan(own.executeQuery())).as("PostgreSQL's own plan, what the probes are for")
                        .contains("Seq Scan on td_run");
            }
            try (PreparedStatement probes = ByPrimaryKey.prepare(c, sql)) {
                update.bind(c, probes, 1);
                ByPrimaryKey.execute(probes);
                assertThat(plan(probes.getResultSet())).contains("Index Scan using td_run_pkey")
                        .doesNotContain("Seq Scan", "Hash Join", "Merge Join");
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT current_setting('enable_seqscan'), current_setting('enable_hashjoin'), "
                            + "current_setting('enable_mergejoin')")) {
                rs.next();
                assertThat(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}).containsOnly("on");
            }
            c.rollback();
        }
    }

    private static String plan(ResultSet rs) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (rs) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
