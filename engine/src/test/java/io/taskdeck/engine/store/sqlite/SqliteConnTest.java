package io.taskdeck.engine.store.sqlite;

import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer connection's statements built from shapes stay bounded however many shapes come. */
class SqliteConnTest {

    @Test
    void statementsOfEverNewShapesAreClosedLeastRecentlyUsedFirstAndPreparedAgainWhenNeeded() throws Exception {
        try (Conn conn = new Conn(DriverManager.getConnection("jdbc:sqlite::memory:"))) {
            int shapes = Conn.SHAPED_STATEMENTS + 50;
            List<PreparedStatement> prepared = new ArrayList<>();
            for (int i = 0; i < shapes; i++) {
                int n = i;
                prepared.add(conn.ps("shape " + n, () -> "SELECT " + n));
                if (i >= 1) {
                    conn.ps("shape 0", () -> "SELECT 0");  // kept in use: never the least recently used
                }
            }

            long open = prepared.stream().filter(ps -> !isClosed(ps)).count();
            assertThat(open).isEqualTo(Conn.SHAPED_STATEMENTS);
            assertThat(isClosed(prepared.get(0))).isFalse();
            assertThat(isClosed(prepared.get(1))).isTrue();
            assertThat(isClosed(prepared.get(shapes - 1))).isFalse();

            PreparedStatement again = conn.ps("shape 1", () -> "SELECT 1");
            assertThat(again).isNotSameAs(prepared.get(1));
            try (ResultSet rs = again.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    private static boolean isClosed(PreparedStatement ps) {
        try {
            return ps.isClosed();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
