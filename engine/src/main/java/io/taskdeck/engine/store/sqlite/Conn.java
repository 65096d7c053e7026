package io.taskdeck.engine.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** One JDBC connection with its prepared statements cached by SQL text. Used by one thread at a time. */
public final class Conn implements AutoCloseable {

    private final Connection connection;
    private final HashMap<String, PreparedStatement> statements = new HashMap<>();
    /**
     * Statements built from a shape (see {@link RowChunks}), by key; the least recently used ones
     * are closed beyond {@link #SHAPED_STATEMENTS}, so rows of ever new shapes cannot pile them up.
     */
    private final LinkedHashMap<Object, PreparedStatement> shaped = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, PreparedStatement> eldest) {
            if (size() <= SHAPED_STATEMENTS) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };
    static final int SHAPED_STATEMENTS = 128;

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

    /** The statement cached under {@code key}, prepared from {@code sql} the first time. */
    PreparedStatement ps(Object key, Supplier<String> sql) throws SQLException {
        PreparedStatement ps = shaped.get(key);
        if (ps == null) {
            ps = connection.prepareStatement(sql.get());
            shaped.put(key, ps);
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
        statements.values().forEach(Conn::closeQuietly);
        statements.clear();
        shaped.values().forEach(Conn::closeQuietly);
        shaped.clear();
    }

    private static void closeQuietly(PreparedStatement ps) {
        try {
            ps.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
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
