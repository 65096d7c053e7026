package io.taskdeck.engine.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
    private final Column[] values;
    private int rows;

    /** Specs split once: the same few literals describe every batch, and a regex split per batch shows in profiles. */
    private static final Map<String, String[]> SPECS = new ConcurrentHashMap<>();

    public Columns(String... spec) {
        names = new String[spec.length];
        types = new String[spec.length];
        values = new Column[spec.length];
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
            values[i] = switch (types[i]) {
                case "int4", "int8", "timestamptz" -> new Numbers();
                case "text", "bool" -> new Values();
                default -> throw new IllegalArgumentException(
                        "unsupported column type " + types[i] + " in '" + spec[i] + "'");
            };
        }
    }

    private Columns(String[] names, String[] types, Column[] values, int rows) {
        this.names = names;
        this.types = types;
        this.values = values;
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
            if (kept.contains(names[i]) || values[i].nulls() < rows) {
                present.add(i);
            }
        }
        return select(present);
    }

    /** These rows with only the columns at the given indexes, in that order. */
    Columns select(List<Integer> indexes) {
        if (indexes.size() == names.length) {
            return this;
        }
        String[] n = new String[indexes.size()];
        String[] t = new String[indexes.size()];
        Column[] v = new Column[indexes.size()];
        for (int i = 0; i < indexes.size(); i++) {
            n[i] = names[indexes.get(i)];
            t[i] = types[indexes.get(i)];
            v[i] = values[indexes.get(i)];
        }
        return new Columns(n, t, v, rows);
    }

    /** Adds one row; values in the order of the column specs (Instant for timestamptz). */
    public Columns row(Object... row) {
        if (row.length != names.length) {
            throw new IllegalArgumentException("row has " + row.length + " values for " + names.length + " columns");
        }
        for (int i = 0; i < row.length; i++) {
            values[i].add(row[i]);
        }
        rows++;
        return this;
    }

    /** Microseconds since the epoch, the nanoseconds rounded half to even (PostgreSQL's rounding of a literal). */
    static long epochMicros(Instant at) {
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        int rest = at.getNano() % 1_000;
        return rest > 500 || (rest == 500 && (micros & 1) == 1) ? micros + 1 : micros;
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
            String type = types[i];
            switch (values[i]) {
                case Numbers n -> ps.setObject(index, type.equals("int4") ? n.ints() : n.longs());
                case Values o when type.equals("bool") -> ps.setObject(index, o.values.toArray(new Boolean[0]));
                case Values o -> TextArray.bind(c, ps, index, o.values);
            }
            index++;
        }
        return index;
    }

    /** One column's values, in row order. */
    private sealed interface Column permits Numbers, Values {
        void add(Object value);

        /** How many of the values are null. */
        int nulls();
    }

    /** Text or booleans, as given. */
    private static final class Values implements Column {
        final List<Object> values = new ArrayList<>();
        int nulls;

        @Override
        public void add(Object value) {
            nulls += value == null ? 1 : 0;
            values.add(value);
        }

        @Override
        public int nulls() {
            return nulls;
        }
    }

    /** Integers, or instants as microseconds since the epoch, unboxed; a null is marked aside. */
    private static final class Numbers implements Column {
        long[] values = new long[8];
        boolean[] isNull = new boolean[8];
        int size;
        int nulls;

        @Override
        public void add(Object value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                isNull = Arrays.copyOf(isNull, size * 2);
            }
            switch (value) {
                case null -> {
                    isNull[size] = true;
                    nulls++;
                }
                case Instant at -> values[size] = epochMicros(at);
                case Integer n -> values[size] = n;
                case Long n -> values[size] = n;
                default -> throw new IllegalArgumentException("not a number or an instant: " + value.getClass());
            }
            size++;
        }

        @Override
        public int nulls() {
            return nulls;
        }

        /** int4[]: an int[] when no value is null, else Integer[]. */
        Object ints() {
            if (nulls == 0) {
                int[] out = new int[size];
                for (int i = 0; i < size; i++) {
                    out[i] = Math.toIntExact(values[i]);
                }
                return out;
            }
            Integer[] out = new Integer[size];
            for (int i = 0; i < size; i++) {
                out[i] = isNull[i] ? null : Math.toIntExact(values[i]);
            }
            return out;
        }

        /** int8[]: a long[] when no value is null, else Long[]. */
        Object longs() {
            if (nulls == 0) {
                return Arrays.copyOf(values, size);
            }
            Long[] out = new Long[size];
            for (int i = 0; i < size; i++) {
                out[i] = isNull[i] ? null : values[i];
            }
            return out;
        }
    }
}
