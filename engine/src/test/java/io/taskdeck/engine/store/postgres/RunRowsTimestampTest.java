package io.taskdeck.engine.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.PGResultSetMetaData;

/** RunRows.instant reads a binary timestamptz itself: it must agree with pgjdbc's reading of the same value. */
class RunRowsTimestampTest {

    private static final String SQL = "SELECT v FROM unnest(ARRAY['2030-01-01T00:00:00.123456Z', "
            + "'2000-01-01T00:00:00Z', '1999-12-31T23:59:59.999999Z', '1970-01-01T00:00:00Z', "
            + "'1969-12-31T23:59:59.000001Z', '1900-02-28T12:34:56.000001Z', '2262-04-11T23:47:16.854775Z', "
            + "'infinity', '-infinity', NULL]::timestamptz[]) WITH ORDINALITY AS u(v, n) ORDER BY n";

    /** Each value as RunRows reads it and as pgjdbc reads it, and whether the result came in binary. */
    private static List<Object[]> read(String prepareThreshold) throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "postgres");
        p.setProperty("prepareThreshold", prepareThreshold);  // -1: binary from the first execution; 0: text
        List<Object[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(), p);
             PreparedStatement ps = c.prepareStatement(SQL);
             ResultSet rs = ps.executeQuery()) {
            boolean binary = rs.getMetaData().unwrap(PGResultSetMetaData.class).getFormat(1) == 1;
            while (rs.next()) {
                Instant ours = RunRows.instant(rs, 1);
                OffsetDateTime theirs = rs.getObject(1, OffsetDateTime.class);
                out.add(new Object[] {ours, theirs == null ? null : theirs.toInstant(), binary});
            }
        }
        return out;
    }

    @Test
    void binaryAndTextTimestampsReadAsPgjdbcReadsThem() throws Exception {
        List<Object[]> binary = read("-1");
        List<Object[]> text = read("0");
        assertThat(binary).hasSize(10).allSatisfy(row -> assertThat(row[2]).isEqualTo(true));
        assertThat(text).hasSize(10).allSatisfy(row -> assertThat(row[2]).isEqualTo(false));
        for (int i = 0; i < binary.size(); i++) {
            assertThat(binary.get(i)[0]).as("binary row %d", i).isEqualTo(binary.get(i)[1]);
            assertThat(text.get(i)[0]).as("text row %d", i).isEqualTo(text.get(i)[1]);
            assertThat(binary.get(i)[0]).as("row %d, binary against text", i).isEqualTo(text.get(i)[0]);
        }
        assertThat(binary.get(0)[0]).isEqualTo(Instant.parse("2030-01-01T00:00:00.123456Z"));
        assertThat(binary.get(4)[0]).isEqualTo(Instant.parse("1969-12-31T23:59:59.000001Z"));
        assertThat(binary.get(9)[0]).isNull();
    }
}
