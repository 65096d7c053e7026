package io.taskdeck.engine.store.postgres;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Transactions over a pool: each unit of work runs in one transaction, retried when PostgreSQL
 * picks it as a deadlock victim or a serialization failure; other errors roll back and surface
 * as {@link PostgresStoreException} (or as they were thrown, for the caller's own exceptions).
 */
public final class Db {

    private static final int ATTEMPTS = 5;

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final String where;

    public Db(DataSource dataSource, String where) {
        this.dataSource = dataSource;
        this.where = where;
    }

    public <T> T tx(String what, Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                last = e;
                if (!retryable(e)) {
                    break;
                }
            }
        }
        throw translate(what, last);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return "40P01".equals(state) || "40001".equals(state);
    }

    private PostgresStoreException translate(String what, SQLException e) {
        String state = e.getSQLState();
        String reason = state != null && (state.startsWith("08") || state.startsWith("57P"))
                ? "PostgreSQL at " + where + " is unreachable or restarting"
                : "PostgreSQL at " + where + " refused it";
        return new PostgresStoreException(what + " failed: " + reason + " (SQLState " + state + "): " + e.getMessage(), e);
    }
}
