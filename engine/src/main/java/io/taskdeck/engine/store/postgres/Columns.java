package io.taskdeck.engine.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Many rows passed column by column, one array parameter per column, to be read back as a table
 * with {@code unnest(...)}: one statement writes a whole batch, where a JDBC batch would execute
 * one statement per row.
 *
 * <pre>{@code
 * Columns v = new Columns("id text", "attempts int4", "lease_until timestamptz");
 * for (Run r : runs) v.row(r.id(), r.attempts(), r.leaseUntil());
 * "UPDATE td_run r SET ... FROM " + v.from() + " WHERE r.id = v.id"
 * }</pre>
 *
 * Timestamps travel as text (ISO-8601, what {@link Instant#toString()} writes) and are cast on
 * the server, which parses them exactly as it parses any timestamptz literal.
 */
public final class Columns {

    private final String[] names;
    private final String[] types;
    private final List<List<Object>> values;
    private int rows;

    public Columns(String... spec) {
        names = new String[spec.length];
        types = new String[spec.length];
        values = new ArrayList<>(spec.length);
        for (int i = 0; i < spec.length; i++) {
            String[] parts = spec[i].trim().split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("column spec must be 'name type', got '" + spec[i] + "'");
            }
            names[i] = parts[0];
            if (names[i].equals("pos")) {
                throw new IllegalArgumentException("column name pos is reserved for the row position");
            }
            types[i] = parts[1].toLowerCase(Locale.ROOT);
            if (!List.of("text", "int4", "int8", "bool", "timestamptz").contains(types[i])) {
                throw new IllegalArgumentException("unsupported column type " + types[i] + " in '" + spec[i] + "'");
            }
            values.add(new ArrayList<>());
        }
    }

    /** Adds one row; values in the order of the column specs (Instant for timestamptz). */
    public Columns row(Object... row) {
        if (row.length != names.length) {
            throw new IllegalArgumentException("row has " + row.length + " values for " + names.length + " columns");
        }
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            values.get(i).add(v instanceof Instant at ? at.toString() : v);
        }
        rows++;
        return this;
    }

    public int size() {
        return rows;
    }

    public boolean isEmpty() {
        return rows == 0;
    }

    /** {@code unnest(?::text[], ...) AS v(id, ...)}: the rows as a table named {@code v}. */
    public String from() {
        return from(false);
    }

    /** As {@link #from()}, with a last column {@code pos}: the row's position, from 1. */
    public String fromWithOrdinality() {
        return from(true);
    }

    private String from(boolean ordinality) {
        StringBuilder sql = new StringBuilder("unnest(");
        for (int i = 0; i < names.length; i++) {
            sql.append(i == 0 ? "" : ", ").append("?::").append(types[i]).append("[]");
        }
        sql.append(ordinality ? ") WITH ORDINALITY AS v(" : ") AS v(");
        for (int i = 0; i < names.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(names[i]);
        }
        return sql.append(ordinality ? ", pos)" : ")").toString();
    }

    /** Binds the column arrays from parameter {@code first} on; returns the next free index. */
    public int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
        int index = first;
        for (int i = 0; i < names.length; i++) {
            List<Object> column = values.get(i);
            Object[] array = switch (types[i]) {
                case "int4" -> column.toArray(new Integer[0]);
                case "int8" -> column.toArray(new Long[0]);
                case "bool" -> column.toArray(new Boolean[0]);
                default -> column.toArray(new String[0]);
            };
            String elementType = types[i].equals("timestamptz") ? "text" : types[i];
            ps.setArray(index++, c.createArrayOf(elementType, array));
        }
        return index;
    }
}
