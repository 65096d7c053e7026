package io.taskdeck.engine.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * Timestamps travel as microseconds since the epoch ({@code int8}, rounded as PostgreSQL rounds a
 * literal with more digits) and become timestamptz on the server by exact integer arithmetic:
 * cheaper on both sides than formatting and parsing ISO-8601 text, which is how they went before.
 */
public final class Columns {

    private final String[] names;
    private final String[] types;
    /** Where each column's value sits in a row: a column selection shares the rows. */
    private final int[] positions;
    /**
     * The rows as given, one array each: a column's array is built at bind time, at its exact
     * size, so no per-column list grows (and copies itself) row after row.
     */
    private final List<Object[]> rows;

    /** Specs split once: the same few literals describe every batch, and a regex split per batch shows in profiles. */
    private static final Map<String, String[]> SPECS = new ConcurrentHashMap<>();

    public Columns(String... spec) {
        names = new String[spec.length];
        types = new String[spec.length];
        positions = new int[spec.length];
        rows = new ArrayList<>();
        for (int i = 0; i < spec.length; i++) {
            String[] parts = SPECS.computeIfAbsent(spec[i], text -> text.trim().split("\\s+"));
            if (parts.length != 2) {
                throw new IllegalArgumentException("column spec must be 'name type', got '" + spec[i] + "'");
            }
            names[i] = parts[0];
            if (names[i].equals("pos")) {
                throw new IllegalArgumentException("column name pos is reserved for the row position");
            }
            types[i] = parts[1].toLowerCase(Locale.ROOT);
            if (!List.of("int4", "int8", "timestamptz", "text", "bool").contains(types[i])) {
                throw new IllegalArgumentException("unsupported column type " + types[i] + " in '" + spec[i] + "'");
            }
            positions[i] = i;
        }
    }

    private Columns(String[] names, String[] types, int[] positions, List<Object[]> rows) {
        this.names = names;
        this.types = types;
        this.positions = positions;
        this.rows = rows;
    }

    /** The column names, in order. */
    public List<String> names() {
        return List.of(names);
    }

    /**
     * These rows without the columns that hold only nulls (except those named in {@code keep}):
     * every array sent costs encoding here and decoding on the server, and a new run, a closed
     * attempt or a journal event leaves most of its nullable columns empty. Use it where a missing
     * column means null: an INSERT's column list, or an UPDATE of a value already null.
     */
    public Columns withoutNullColumns(String... keep) {
        List<String> kept = List.of(keep);
        List<Integer> present = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (kept.contains(names[i]) || !onlyNulls(i)) {
                present.add(i);
            }
        }
        return select(present);
    }

    private boolean onlyNulls(int column) {
        for (Object[] row : rows) {
            if (row[positions[column]] != null) {
                return false;
            }
        }
        return true;
    }

    /** These rows with only the columns at the given indexes, in that order. */
    Columns select(List<Integer> indexes) {
        if (indexes.size() == names.length) {
            return this;
        }
        String[] n = new String[indexes.size()];
        String[] t = new String[indexes.size()];
        int[] p = new int[indexes.size()];
        for (int i = 0; i < indexes.size(); i++) {
            n[i] = names[indexes.get(i)];
            t[i] = types[indexes.get(i)];
            p[i] = positions[indexes.get(i)];
        }
        return new Columns(n, t, p, rows);
    }

    /** Adds one row; values in the order of the column specs (Instant for timestamptz). The array is kept, not copied. */
    public Columns row(Object... row) {
        if (row.length != names.length) {
            throw new IllegalArgumentException("row has " + row.length + " values for " + names.length + " columns");
        }
        rows.add(row);
        return this;
    }

    /** Microseconds since the epoch, the nanoseconds rounded half to even (PostgreSQL's rounding of a literal). */
    static long epochMicros(Instant at) {
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        int rest = at.getNano() % 1_000;
        return rest > 500 || (rest == 500 && (micros & 1) == 1) ? micros + 1 : micros;
    }

    public int size() {
        return rows.size();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
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
        boolean times = List.of(types).contains("timestamptz");
        StringBuilder sql = new StringBuilder("unnest(");
        for (int i = 0; i < names.length; i++) {
            sql.append(i == 0 ? "" : ", ").append("?::").append(wireType(types[i])).append("[]");
        }
        String alias = times ? "u" : "v";
        sql.append(ordinality ? ") WITH ORDINALITY AS " : ") AS ").append(alias).append('(');
        for (int i = 0; i < names.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(names[i]);
        }
        sql.append(ordinality ? ", pos)" : ")");
        if (!times) {
            return sql.toString();
        }
        // Microseconds to timestamptz: int8 * interval is computed in float8, exact for any
        // integer below 2^53 (some 285 years either side of 1970), so no rounding happens.
        StringBuilder select = new StringBuilder("(SELECT ");
        for (int i = 0; i < names.length; i++) {
            select.append(i == 0 ? "" : ", ");
            if (types[i].equals("timestamptz")) {
                select.append("'epoch'::timestamptz + u.").append(names[i]).append(" * interval '1 microsecond' AS ")
                        .append(names[i]);
            } else {
                select.append("u.").append(names[i]);
            }
        }
        return select.append(ordinality ? ", u.pos" : "").append(" FROM ").append(sql).append(") AS v").toString();
    }

    private static String wireType(String type) {
        return type.equals("timestamptz") ? "int8" : type;
    }

    /**
     * Binds the column arrays from parameter {@code first} on; returns the next free index. A
     * numeric column without nulls goes as a primitive array (no boxed element per value), a text
     * column as a {@link TextArray}; each array is encoded straight into its parameter, in binary,
     * without a {@link java.sql.Array}.
     */
    public int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
        int index = first;
        for (int i = 0; i < names.length; i++) {
            List<Object> values = column(i);
            switch (types[i]) {
                case "text" -> TextArray.bind(c, ps, index, values);
                case "bool" -> ps.setObject(index, values.toArray(new Boolean[0]));
                case "int4" -> ps.setObject(index, ints(values));
                default -> ps.setObject(index, longs(values));  // int8, and timestamptz as microseconds
            }
            index++;
        }
        return index;
    }

    /** One column's values, in row order: a view of the rows. */
    private List<Object> column(int i) {
        int position = positions[i];
        return new AbstractList<>() {
            @Override
            public Object get(int row) {
                return rows.get(row)[position];
            }

            @Override
            public int size() {
                return rows.size();
            }
        };
    }

    /** int4[]: an int[] when no value is null, else Integer[]. */
    private static Object ints(List<Object> values) {
        if (values.contains(null)) {
            Integer[] out = new Integer[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i) == null ? null : Math.toIntExact(number(values.get(i)));
            }
            return out;
        }
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(number(values.get(i)));
        }
        return out;
    }

    /** int8[]: a long[] when no value is null, else Long[]. */
    private static Object longs(List<Object> values) {
        if (values.contains(null)) {
            Long[] out = new Long[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i) == null ? null : number(values.get(i));
            }
            return out;
        }
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(values.get(i));
        }
        return out;
    }

    /** An integer, or an instant as microseconds since the epoch. */
    private static long number(Object value) {
        return switch (value) {
            case Instant at -> epochMicros(at);
            case Integer n -> n;
            case Long n -> n;
            default -> throw new IllegalArgumentException("not a number or an instant: " + value.getClass());
        };
    }
}
