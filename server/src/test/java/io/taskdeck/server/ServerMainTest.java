package io.taskdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.engine.store.RunStore;
import io.taskdeck.engine.store.SqliteRunStore;
import io.taskdeck.engine.store.StoreLockedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerMainTest {

    @TempDir
    Path dir;

    private static ServerMain parse(String... args) {
        ServerMain main = new ServerMain();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void dataDirectoryMeansASqliteStoreInsideIt() throws Exception {
        Path data = dir.resolve("data");
        try (RunStore store = parse("--data", data.toString()).openStore()) {
            assertThat(store).isInstanceOf(SqliteRunStore.class);
            assertThat(Files.exists(data.resolve(ServerMain.SQLITE_FILE))).isTrue();
        }
    }

    @Test
    void withoutDataOrStoreTheStoreIsInMemory() throws Exception {
        try (RunStore store = parse().openStore()) {
            assertThat(store).isInstanceOf(MemoryRunStore.class);
        }
    }

    @Test
    void sqliteWithoutADataDirectoryIsRefusedWithAReason() {
        assertThatThrownBy(() -> parse("--store", "sqlite").openStore())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--data");
    }

    @Test
    void aDataDirectoryHeldByAnotherServerIsReportedInOneLine() throws Exception {
        Path data = dir.resolve("busy");
        Files.createDirectories(data);
        try (RunStore held = SqliteRunStore.open(data.resolve(ServerMain.SQLITE_FILE))) {
            assertThatThrownBy(() -> parse("--data", data.toString()).openStore())
                    .isInstanceOf(StoreLockedException.class);

            StringWriter err = new StringWriter();
            CommandLine cli = ServerMain.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute("--data", data.toString(), "--port", "0", "--no-examples",
                    "--config", writeConfig().toString());
            assertThat(code).isEqualTo(3);
            assertThat(err.toString()).startsWith("taskdeck-server: ").contains(ServerMain.SQLITE_FILE)
                    .doesNotContain("\tat ");
        }
    }

    private Path writeConfig() throws Exception {
        Path config = dir.resolve("keys.json");
        Files.writeString(config, "{\"keys\": [{\"name\": \"ops\", \"secret\": \"0123456789abcdef0123\", \"role\": \"admin\"}]}");
        return config;
    }
}
