package io.taskdeck.engine.store.postgres;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.Oid;
import org.postgresql.util.PGBinaryObject;
import org.postgresql.util.PGobject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * A {@code text[]} parameter encoded here in PostgreSQL's binary array format (what the server's
 * {@code array_recv} reads), sized exactly before it is written. pgjdbc's own encoding of a
 * {@code String[]} grows a small buffer by doubling and copies it once more at the end, which made
 * it the largest allocator of the store's writes; a value equal to the one before it (a batch's
 * status, queue or task id, row after row) is encoded once here and its bytes reused.
 *
 * <p>pgjdbc sends a {@link PGBinaryObject} in binary only while binary transfer is on (the
 * default); {@link #bind} falls back to pgjdbc's encoding of a {@code String[]} when it is off.
 */
final class TextArray extends PGobject implements PGBinaryObject {

    /** The UTF-8 bytes of each element, null for SQL NULL (pgjdbc speaks UTF-8 to the server). */
    private final byte[][] elements;
    private final boolean hasNull;
    private final int length;

    private TextArray(Collection<?> values) {
        type = "_text";
        elements = new byte[values.size()][];
        boolean nulls = false;
        // Header: dimensions, has-null flag, element type; then one dimension's size and lower bound.
        int bytes = values.isEmpty() ? 12 : 20;
        String previous = null;
        byte[] previousBytes = null;
        int i = 0;
        for (Object value : values) {
            String s = (String) value;
            if (s == null) {
                nulls = true;
                bytes += 4;
            } else {
                if (!s.equals(previous)) {
                    previous = s;
                    previousBytes = s.getBytes(StandardCharsets.UTF_8);
                }
                elements[i] = previousBytes;
                bytes += 4 + previousBytes.length;
            }
            i++;
        }
        hasNull = nulls;
        length = bytes;
    }

    /** Binds the values (Strings or nulls), in iteration order, as a {@code text[]} parameter. */
    static void bind(Connection c, PreparedStatement ps, int index, Collection<?> values) throws SQLException {
        if (c.isWrapperFor(BaseConnection.class) && c.unwrap(BaseConnection.class).binaryTransferSend(Oid.TEXT_ARRAY)) {
            ps.setObject(index, new TextArray(values));
        } else {
            ps.setObject(index, values.toArray(new String[0]));
        }
    }

    @Override
    public int lengthInBytes() {
        return length;
    }

    @Override
    public void toBytes(byte[] bytes, int offset) {
        ByteBuffer out = ByteBuffer.wrap(bytes, offset, length);  // big-endian, as PostgreSQL's wire format
        out.putInt(elements.length == 0 ? 0 : 1).putInt(hasNull ? 1 : 0).putInt(Oid.TEXT);
        if (elements.length > 0) {
            out.putInt(elements.length).putInt(1);
        }
        for (byte[] e : elements) {
            if (e == null) {
                out.putInt(-1);
            } else {
                out.putInt(e.length).put(e);
            }
        }
    }

    /** Only ever sent, never read back. */
    @Override
    public void setByteValue(byte[] value, int offset) {
        throw new UnsupportedOperationException("a TextArray is a parameter only");
    }
}
