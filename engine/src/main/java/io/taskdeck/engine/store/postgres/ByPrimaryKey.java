package io.taskdeck.engine.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.PreparedStatement;

/**
 * Runs the batch statements that reach td_run by a list of run ids (lock, write, claim ~500 runs)
 * with PostgreSQL planning them as ~500 primary-key probes, whatever its statistics say.
 *
 * <p>Why: such a statement joins an {@code unnest} of the ids (or filters on {@code id = ANY})
 * to td_run. Costed with the default {@code random_page_cost}, a hash or merge join over a
 * sequential (or full index) scan of td_run looks cheaper than the probes while the table is
 * young: never analyzed, or analyzed while small. Measured on PostgreSQL 15 for a completion
 * write of 500 runs: 6.5 ms as probes at any table size; 7-12 ms as a hash join at 2,000 rows,
 * 20-25 ms at 20,000, 35-41 ms at 60,000, where even an analyzed table still chose the hash
 * join. Every deployment starts young, and a generic plan made then stays cached. The probes
 * are never the wrong plan here: the rows were written moments ago and are in shared buffers.
 *
 * <p>How: the statement is sent with {@code SET LOCAL} of the scan and join methods to off before
 * it and back to the operator's values ({@code TO DEFAULT}) after it, in the same round trip, so
 * no other statement of the transaction is planned differently (the claim's candidate query
 * needs its hash join) and no lock is held a round trip longer (the claim holds its queue rows).
 */
final class ByPrimaryKey {

    /** The plan shapes that scan all of td_run; with them off, an index probe is what is left. */
    private static final String[] SCANS = {"enable_seqscan", "enable_hashjoin", "enable_mergejoin"};
    private static final String OFF = settings("off");
    private static final String RESTORE = settings("DEFAULT");

    private ByPrimaryKey() {
    }

    /** Prepares {@code sql} (one statement, no trailing semicolon) to run with the whole-table plans off; run it with {@link #execute}. */
    static PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return c.prepareStatement(OFF + sql + "; " + RESTORE);
    }

    /** Executes a statement from {@link #prepare}, leaving its own result current: {@code getResultSet()} or {@code getUpdateCount()}. */
    static void execute(PreparedStatement ps) throws SQLException {
        ps.execute();
        for (int i = 0; i < SCANS.length; i++) {
            ps.getMoreResults();
        }
    }

    private static String settings(String value) {
        StringBuilder sql = new StringBuilder();
        for (String name : SCANS) {
            sql.append("SET LOCAL ").append(name).append(" TO ").append(value).append("; ");
        }
        return sql.toString().stripTrailing();
    }
}
