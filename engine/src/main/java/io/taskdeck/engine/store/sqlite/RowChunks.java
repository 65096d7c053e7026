package io.taskdeck.engine.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Objects;

/**
 * Writes rows, given as column values, with multi-row statements of a few sizes (64, 16, 4 and 1
 * rows, largest first). In a chunk of 16 rows or more, a column that holds the same value in
 * every row is bound once for the chunk (a numbered parameter, {@code ?NNN}, that each row names)
 * and a column that is NULL in every row is written as the literal NULL.
 *
 * <p>Binding a value costs a call through the driver's JNI layer (and, for text, an encoding and a
 * copy), on the writer thread that every write waits for. In the rows a group writes most columns
 * repeat (a batch of runs of one task, the events of one claim, a completion's status and times),
 * so most of those calls go. Each chunk's statement is cached by its shape: the statement kind, its
 * row count and which columns are shared or NULL (see {@link Conn#ps(Object, java.util.function.Supplier)}).
 */
final class RowChunks {

    /** Rows per statement: a few statement shapes, used largest first. */
    static final int[] SIZES = {64, 16, 4, 1};
    /** Chunks of at least this many rows bind a shared column once; smaller ones bind every value. */
    static final int SHARE_FROM = 16;

    /** Where a column's value comes from in a chunk's statement. */
    interface Columns {
        /** The SQL that names column {@code c} of row {@code r} (0-based): {@code NULL} or a {@code ?NNN}. */
        String ref(int r, int c);

        /** Whether column {@code c} is bound once for the whole chunk. */
        boolean shared(int c);

        /** Whether column {@code c} is NULL in every row of the chunk. */
        boolean nulled(int c);
    }

    /** A statement that writes rows of {@code width()} columns. */
    interface Shape {
        int width();

        /** Columns that are never shared (a key the statement matches rows by), as a bit mask. */
        default long neverShared() {
            return 0;
        }

        /** The statement for {@code rows} rows whose columns come from {@code columns}. */
        String sql(int rows, Columns columns);
    }

    /** A chunk's statement in the cache: its kind, size and which columns are shared or NULL. */
    private record Key(Shape shape, int rows, long shared, long nulls) {
    }

    private RowChunks() {
    }

    /** Names what a chunk's primary key violation means, for the caller. */
    @FunctionalInterface
    interface OnDuplicate {
        RuntimeException describe(int from, int to) throws SQLException;
    }

    /** Writes every row of {@code rows} (each {@code shape.width()} values: String, Long, Integer or null). */
    static void write(Conn conn, Shape shape, List<Object[]> rows, OnDuplicate onDuplicate) throws SQLException {
        int width = shape.width();
        if (width > Long.SIZE) {
            throw new IllegalArgumentException("a row of " + width + " columns: the shared and NULL columns are a 64-bit mask");
        }
        for (int from = 0; from < rows.size(); ) {
            int n = sizeFor(rows.size() - from);
            long shared = 0;
            long nulls = 0;
            if (n >= SHARE_FROM) {
                Object[] first = rows.get(from);
                for (int c = 0; c < width; c++) {
                    if ((shape.neverShared() & (1L << c)) != 0 || !same(rows, from, n, c)) {
                        continue;
                    }
                    if (first[c] == null) {
                        nulls |= 1L << c;
                    } else {
                        shared |= 1L << c;
                    }
                }
            }
            Key key = new Key(shape, n, shared, nulls);
            PreparedStatement ps = conn.ps(key, () -> shape.sql(key.rows(), new Numbering(width, key.shared(), key.nulls())));
            bind(ps, rows, from, n, width, shared, nulls);
            try {
                ps.executeUpdate();
            } catch (SQLException e) {
                if (onDuplicate != null && Failures.isPrimaryKeyViolation(e)) {
                    RuntimeException described = onDuplicate.describe(from, from + n);
                    described.initCause(e);
                    throw described;
                }
                throw e;
            }
            from += n;
        }
    }

    private static boolean same(List<Object[]> rows, int from, int n, int c) {
        Object v = rows.get(from)[c];
        for (int r = from + 1; r < from + n; r++) {
            if (!Objects.equals(v, rows.get(r)[c])) {
                return false;
            }
        }
        return true;
    }

    /** Binds the shared values (numbered first, in column order), then each row's own values. */
    private static void bind(PreparedStatement ps, List<Object[]> rows, int from, int n, int width, long shared,
                             long nulls) throws SQLException {
        int p = 1;
        Object[] first = rows.get(from);
        for (int c = 0; c < width; c++) {
            if ((shared & (1L << c)) != 0) {
                set(ps, p++, first[c]);
            }
        }
        long own = ~(shared | nulls);
        for (int r = from; r < from + n; r++) {
            Object[] row = rows.get(r);
            for (int c = 0; c < width; c++) {
                if ((own & (1L << c)) != 0) {
                    set(ps, p++, row[c]);
                }
            }
        }
    }

    private static void set(PreparedStatement ps, int i, Object v) throws SQLException {
        switch (v) {
            case null -> ps.setNull(i, Types.NULL);
            case String s -> ps.setString(i, s);
            case Long l -> ps.setLong(i, l);
            case Integer x -> ps.setInt(i, x);
            default -> throw new IllegalArgumentException("cannot bind a " + v.getClass().getName());
        }
    }

    private static int sizeFor(int left) {
        for (int size : SIZES) {
            if (size <= left) {
                return size;
            }
        }
        throw new IllegalArgumentException("no rows left");
    }

    /** The parameter numbers of a chunk: the shared columns first, then each row's own columns. */
    private static final class Numbering implements Columns {
        private final long shared;
        private final long nulls;
        private final int[] sharedNumber;
        private final int[] ownIndex;
        private final int sharedCount;
        private final int ownCount;

        Numbering(int width, long shared, long nulls) {
            this.shared = shared;
            this.nulls = nulls;
            this.sharedNumber = new int[width];
            this.ownIndex = new int[width];
            int s = 0;
            int o = 0;
            for (int c = 0; c < width; c++) {
                if ((shared & (1L << c)) != 0) {
                    sharedNumber[c] = ++s;
                } else if ((nulls & (1L << c)) == 0) {
                    ownIndex[c] = o++;
                }
            }
            this.sharedCount = s;
            this.ownCount = o;
        }

        @Override
        public String ref(int r, int c) {
            if (nulled(c)) {
                return "NULL";
            }
            if (shared(c)) {
                return "?" + sharedNumber[c];
            }
            return "?" + (sharedCount + r * ownCount + ownIndex[c] + 1);
        }

        @Override
        public boolean shared(int c) {
            return (shared & (1L << c)) != 0;
        }

        @Override
        public boolean nulled(int c) {
            return (nulls & (1L << c)) != 0;
        }
    }

    /** {@code INSERT INTO <table> (<columns>) VALUES (...), (...) <suffix>}: one VALUES row per row. */
    record Insert(String table, String columnList, int width, String suffix) implements Shape {
        Insert(String table, String columnList, String suffix) {
            this(table, columnList, columnList.split(", ").length, suffix);
        }

        @Override
        public String sql(int rows, Columns columns) {
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(columnList)
                    .append(") VALUES ");
            for (int r = 0; r < rows; r++) {
                sql.append(r == 0 ? "(" : ", (");
                for (int c = 0; c < width; c++) {
                    sql.append(c == 0 ? "" : ", ").append(columns.ref(r, c));
                }
                sql.append(')');
            }
            return sql.append(suffix).toString();
        }
    }
}
