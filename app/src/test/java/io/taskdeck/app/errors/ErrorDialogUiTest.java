package io.taskdeck.app.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.app.Console;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

class ErrorDialogUiTest {

    private final FxRobot robot = new FxRobot();
    private final Path log = Path.of("/home/me/.taskdeck/logs/taskdeck.log");

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void closeDialogs() throws Exception {
        FxToolkit.cleanupStages();
        WaitForAsyncUtils.asyncFx(() -> List.copyOf(Window.getWindows()).forEach(Window::hide))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void uncaughtErrorOnAnotherThreadShowsAFriendlyDialog() throws Exception {
        ErrorDialog dialog = new ErrorDialog(Console.strings(Locale.ENGLISH), () -> null, List.of());
        ErrorReporter reporter = new ErrorReporter(log, dialog::show);

        Thread worker = new Thread(() -> {
            throw new IllegalStateException("Queue 'emails' has no handler");
        }, "worker");
        worker.setUncaughtExceptionHandler(reporter);
        worker.start();
        worker.join();
        WaitForAsyncUtils.waitForFxEvents();

        DialogPane pane = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        assertThat(pane.getHeaderText()).isEqualTo("Something went wrong");
        String body = robot.lookup("#error-body").queryAs(Label.class).getText();
        assertThat(body).contains("Queue 'emails' has no handler").contains(log.toString()).doesNotContain("\tat ");
        assertThat(pane.isExpanded()).as("details start folded").isFalse();
        assertThat(((TextArea) pane.getExpandableContent()).getText()).contains("IllegalStateException").contains("\tat ");
    }

    @Test
    void aBurstOfErrorsShowsOneDialog() throws Exception {
        ErrorDialog dialog = new ErrorDialog(Console.strings(Locale.ENGLISH), () -> null, List.of());

        for (int i = 0; i < 5; i++) {
            dialog.show(ErrorReport.of(new RuntimeException("failure " + i), log));
        }
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(robot.lookup(".dialog-pane").queryAll()).hasSize(1);
    }
}
