package io.taskdeck.engine.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;

/** One JDBC connection with its prepared statements cached by SQL text. Used by one thread at a time. */
public final class Conn implements AutoCloseable {

    private final Connection connection;
    private final HashMap<String, PreparedStatement> statements = new HashMap<>();

    public Conn(Connection connection) {
        this.connection = connection;
    }

    public PreparedStatement ps(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /** Runs a statement without parameters or results (BEGIN, COMMIT, a pragma that returns nothing). */
    public void exec(String sql) throws SQLException {
        ps(sql).execute();
    }

    public Connection connection() {
        return connection;
    }

    /**
     * Drops every cached statement: after a failed transaction the driver may have finalized
     * some of them, and a fresh prepare costs little next to what just went wrong.
     */
    public void resetStatements() {
        closeStatements();
    }

    private void closeStatements() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        statements.clear();
    }

    @Override
    public void close() {
        closeStatements();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to do with a connection that will not close
        }
    }
}
