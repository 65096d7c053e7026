package io.taskdeck.engine.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

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
 * <p>How: {@code SET LOCAL} of the scan and join methods for the statements passed, reset to the
 * operator's values right after (and by the end of the transaction in any case), so no other
 * statement of the transaction is planned differently: the claim's candidate query, say, needs
 * its hash join. Each switch is one extra round trip (a batch of three SETs) per batch of runs.
 */
final class ByPrimaryKey {

    /** The plan shapes that scan all of td_run; with them off, an index probe is what is left. */
    private static final String[] SCANS = {"enable_seqscan", "enable_hashjoin", "enable_mergejoin"};

    private ByPrimaryKey() {
    }

    /** Runs {@code work} in {@code c}'s transaction with the whole-table plans off. */
    static <T> T run(Connection c, Db.Work<T> work) throws SQLException {
        set(c, "off");
        T result = work.run(c);
        set(c, "DEFAULT");
        return result;
    }

    private static void set(Connection c, String value) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String name : SCANS) {
                s.addBatch("SET LOCAL " + name + " TO " + value);
            }
            s.executeBatch();
        }
    }
}
