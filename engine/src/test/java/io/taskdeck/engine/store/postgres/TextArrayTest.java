package io.taskdeck.engine.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Oid;

/** Columns encodes text columns itself: the server must read back exactly the strings bound, nulls and all. */
class TextArrayTest {

    private static final List<String> VALUES = Arrays.asList("QUEUED", "QUEUED", null, "", "QUEUED", "a\"b\\c{d},e",
            "NULL", " spaced ", "ünïcødé ∑ 漢字", "emoji 😀 pair", null, "x".repeat(70_000), "QUEUED");

    /** The rows as the server sees them, bound through Columns with the given pgjdbc binaryTransfer setting. */
    private static List<String> roundTrip(List<String> values, String binaryTransfer) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "postgres");
        p.setProperty("binaryTransfer", binaryTransfer);
        Columns v = new Columns("pos_ text", "value text");
        for (int i = 0; i < values.size(); i++) {
            v.row(String.valueOf(i), values.get(i));
        }
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(), p);
             PreparedStatement ps = c.prepareStatement("SELECT v.value FROM " + v.from() + " ORDER BY v.pos_::int")) {
            v.bind(c, ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    void textColumnsReachTheServerUnchanged() throws Exception {
        try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(), "postgres", "postgres")) {
            assertThat(c.unwrap(BaseConnection.class).binaryTransferSend(Oid.TEXT_ARRAY))
                    .as("pgjdbc's default sends text[] in binary, so TextArray is what is tested first").isTrue();
        }
        assertThat(roundTrip(VALUES, "true")).containsExactlyElementsOf(VALUES);
        assertThat(roundTrip(VALUES, "false")).containsExactlyElementsOf(VALUES);
    }

    @Test
    void aColumnOfNullsAndAnEmptyBatchBindToo() throws Exception {
        List<String> nulls = Arrays.asList(null, null);
        assertThat(roundTrip(nulls, "true")).containsExactlyElementsOf(nulls);
        assertThat(roundTrip(List.of(), "true")).isEmpty();
    }
}
