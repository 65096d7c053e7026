package io.taskdeck.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.app.connections.LocalEngine;
import io.taskdeck.engine.store.SqliteRunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM ends the real console (a child JVM, headless) in order: no exception on its output, exit
 * code 0, Local's store closed (lock released, write-ahead log checkpointed) — once the window is
 * open, and while it is still starting.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ShutdownTest {

    @TempDir
    Path home;
    private Process console;

    @AfterEach
    void killLeftover() {
        if (console != null && console.isAlive()) {
            console.destroyForcibly();
        }
    }

    @Test
    void sigtermWithTheWindowOpenClosesTheStoreAndExitsCleanly() throws Exception {
        console = start();
        waitForLog("Local is open on");
        waitForLog("Console window open");

        console.destroy(); // SIGTERM

        assertThat(console.waitFor(60, TimeUnit.SECONDS)).as("the console exits").isTrue();
        String output = output();
        assertThat(output).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(console.exitValue()).as("exit code; output:\n" + output).isZero();
        assertThat(log()).contains("SIGTERM received").contains("Local closed its store").contains("Taskdeck stopped");
        assertStoreClosedCleanly();
    }

    @Test
    void sigtermDuringStartUpExitsCleanly() throws Exception {
        console = start();
        waitForLog("Exit signals handled");

        console.destroy(); // while JavaFX and Local are still starting

        assertThat(console.waitFor(60, TimeUnit.SECONDS)).as("the console exits").isTrue();
        String output = output();
        assertThat(output).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(console.exitValue()).as("exit code; output:\n" + output).isZero();
        assertThat(log()).contains("Taskdeck stopped");
        assertStoreClosedCleanly();
    }

    private void assertStoreClosedCleanly() {
        Path db = LocalEngine.databaseFile(new AppHome(home));
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        assertThat(!Files.exists(wal) || wal.toFile().length() == 0).as("the write-ahead log was checkpointed").isTrue();
        if (Files.exists(db)) {
            // Lock released: this process can open it at once.
            SqliteRunStore.open(db).close();
        }
    }

    private Process start() throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", classPath,
                "-D" + AppHome.PROPERTY + "=" + home,
                "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Dprism.text=t2k",
                "-Djava.awt.headless=true", "-Xshare:auto", "io.taskdeck.app.Main"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("output.txt").toFile()).start();
    }

    private String output() throws IOException {
        return Files.readString(home.resolve("output.txt"));
    }

    private String log() throws IOException {
        Path log = home.resolve("logs").resolve("taskdeck.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits (bounded) for a line in the console's log; fails with its output if the console died. */
    private void waitForLog(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!log().contains(text)) {
            assertThat(console.isAlive()).as("the console runs; output:\n" + output()).isTrue();
            assertThat(System.nanoTime()).as("'" + text + "' is logged within 60 s").isLessThan(deadline);
            try {
                console.onExit().get(50, TimeUnit.MILLISECONDS); // returns early if the console dies
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                // check the log again
            }
        }
    }
}
