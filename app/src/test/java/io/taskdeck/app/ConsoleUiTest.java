package io.taskdeck.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/** A headless console window per test, on a fresh home; no unhandled error may occur. */
abstract class ConsoleUiTest {

    @TempDir
    Path home;

    final FxRobot robot = new FxRobot();
    ConsoleFixture app;

    @BeforeEach
    void openConsole() throws Exception {
        app = new ConsoleFixture(home).open();
    }

    @AfterEach
    void closeConsole() throws Exception {
        FxToolkit.cleanupStages();
        app.console.close();
        app.local.close();
        assertThat(app.unhandled).isEmpty();
    }
}
