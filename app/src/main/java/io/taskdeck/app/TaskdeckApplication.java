package io.taskdeck.app;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.connections.ConnectionManager;
import io.taskdeck.app.connections.LocalEngine;
import io.taskdeck.app.errors.ErrorDialog;
import io.taskdeck.app.errors.ErrorReporter;
import io.taskdeck.app.icons.WindowIcons;
import java.util.Locale;
import javafx.application.Application;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JavaFX application. Started by {@link Main}, which sets up the home and logging first. */
public final class TaskdeckApplication extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(TaskdeckApplication.class);

    private UiTasks tasks;
    private LocalEngine local;

    @Override
    public void start(Stage stage) {
        AppHome home = AppHome.resolve().prepare();
        Locale locale = Locale.getDefault();
        ErrorDialog dialog = new ErrorDialog(Console.strings(locale), () -> stage, WindowIcons.load());
        ErrorReporter reporter = new ErrorReporter(home.logFile(), dialog::show);
        Thread.setDefaultUncaughtExceptionHandler(reporter);
        Thread.currentThread().setUncaughtExceptionHandler(reporter);
        tasks = UiTasks.forFxApplication(reporter::report);
        local = new LocalEngine(home);
        Console console = new Console(home, tasks, locale, local::open, ConnectionManager::http);
        console.show(stage);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                console.rememberWindow();
            } catch (RuntimeException e) {
                LOG.warn("Could not save the window position on exit", e);
            }
        }, "taskdeck-remember-window"));
        LOG.info("Console window open");
    }

    @Override
    public void stop() {
        if (tasks != null) {
            tasks.close();
        }
        if (local != null) {
            local.close();
        }
        LOG.info("Taskdeck stopped");
    }
}
