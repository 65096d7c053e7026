package io.taskdeck.app;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.connections.ConnectionManager;
import io.taskdeck.app.connections.LocalEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** Opens the console headless, as the app does, on a home of the test's own. */
final class ConsoleFixture {

    final Path homeDir;
    /** Errors the console could not handle; a test expects none. */
    final List<Throwable> unhandled = new ArrayList<>();
    Console console;
    LocalEngine local;
    Stage stage;

    ConsoleFixture(Path homeDir) throws Exception {
        this.homeDir = homeDir;
        FxToolkit.registerPrimaryStage();
    }

    /** Opens a new main window, like a fresh start of the app. */
    ConsoleFixture open() throws Exception {
        onFx(() -> {
            stage = new Stage();
            // Background work inline on the FX thread: every save has happened when a call returns.
            AppHome home = new AppHome(homeDir).prepare();
            local = new LocalEngine(home);
            console = new Console(home, UiTasks.currentThread(unhandled::add), Locale.ENGLISH, local,
                    ConnectionManager::http);
            console.show(stage);
            stage.toFront();
            stage.requestFocus();
            return null;
        });
        return this;
    }

    /** Closes the main window, as the user does. */
    void close() throws Exception {
        onFx(() -> {
            stage.close();
            return null;
        });
        local.close();
    }

    /**
     * Right-clicks a node and picks an entry of the context menu it opens. Waits until the menu is
     * laid out where it stays (a popup may move once it knows its size) before clicking the entry.
     */
    static void chooseFromMenu(org.testfx.api.FxRobot robot, String owner, String item) throws Exception {
        robot.rightClickOn(owner);
        await("the menu offers " + item, () -> menuEntry(robot, item) != null
                && menuEntry(robot, item).getScene().getWindow().isShowing()
                && menuEntry(robot, item).getLayoutBounds().getWidth() > 0);
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.Node entry = onFx(() -> menuEntry(robot, item));
        robot.moveTo(entry);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(entry);
    }

    /** The menu's own entry: other nodes, hidden ones too, may carry the same text. */
    private static javafx.scene.Node menuEntry(org.testfx.api.FxRobot robot, String item) {
        return robot.lookup(item).queryAll().stream().filter(n -> n instanceof javafx.scene.control.Label
                && n.isVisible() && n.getScene() != null
                && n.getScene().getWindow() instanceof javafx.scene.control.ContextMenu).findFirst().orElse(null);
    }

    /**
     * Waits (bounded) until a condition about the window holds, checking on the FX thread. The bound
     * is generous (30 s): a passing wait returns as soon as the condition holds, and a clean-clone
     * build on a loaded 2-core machine once took longer than 15 s for a queue override round trip.
     */
    static void await(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> onFx(condition));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("Timed out waiting until " + what, e);
        }
    }

    static <T> T onFx(Callable<T> action) throws Exception {
        // Generous: the first open in a JVM loads JavaFX, the engine and SQLite, on a busy 2-core machine.
        T result = WaitForAsyncUtils.asyncFx(action).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        return result;
    }
}
