package io.taskdeck.engine.store;

import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening a SQLite store: the lock, and files that are not Taskdeck stores. */
class SqliteStoreFileTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static Run run(String id) {
        return Run.builder(id, "t1", "q", T0).build();
    }

    @Test
    void aSecondOpenOfTheSameFileIsRefusedNamingTheFile() {
        Path file = dir.resolve("local.db");
        try (SqliteRunStore first = SqliteRunStore.open(file)) {
            assertThatThrownBy(() -> SqliteRunStore.open(file))
                    .isInstanceOf(StoreLockedException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("in use by another Taskdeck process");
            first.insert(List.of(run("run_1")), T0);
        }
        try (SqliteRunStore again = SqliteRunStore.open(file)) {
            assertThat(again.find("run_1")).isPresent();
        }
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("notes.db");
        byte[] content = "my shopping list\nmilk\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(file, content);

        assertThatThrownBy(() -> SqliteRunStore.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a SQLite database");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        // The refusal released the lock: a good file can be opened right after.
        try (SqliteRunStore ok = SqliteRunStore.open(dir.resolve("other.db"))) {
            assertThat(ok.lastSeq()).isZero();
        }
    }

    @Test
    void aForeignSqliteDatabaseIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
            st.execute("INSERT INTO customers (name) VALUES ('Ada')");
        }
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> SqliteRunStore.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("without Taskdeck's schema history")
                .hasMessageContaining("customers");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aDamagedFileIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("damaged.db");
        byte[] content = new byte[8192];
        new Random(42).nextBytes(content);
        byte[] header = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, content, 0, header.length);
        Files.write(file, content);

        assertThatThrownBy(() -> SqliteRunStore.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("left untouched");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void aStoreWrittenByANewerTaskdeckIsRefused() throws Exception {
        Path file = dir.resolve("future.db");
        SqliteRunStore.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("UPDATE taskdeck_schema_history SET version = '7'");
        }

        assertThatThrownBy(() -> SqliteRunStore.open(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("newer Taskdeck");
    }

    @Test
    void anEmptyFileIsANewStore() throws Exception {
        Path file = dir.resolve("nested/folder/empty.db");
        Files.createDirectories(file.getParent());
        Files.createFile(file);
        try (SqliteRunStore store = SqliteRunStore.open(file)) {
            store.ensureQueue("q", 1, 1, T0);
            assertThat(store.insert(List.of(run("run_1")), T0).getFirst().run().status()).isEqualTo(RunStatus.QUEUED);
        }
    }
}
