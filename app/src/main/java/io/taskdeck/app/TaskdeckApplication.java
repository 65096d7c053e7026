package io.taskdeck.app;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.connections.ConnectionManager;
import io.taskdeck.app.connections.LocalEngine;
import io.taskdeck.app.errors.ErrorDialog;
import io.taskdeck.app.errors.ErrorReporter;
import io.taskdeck.app.icons.WindowIcons;
import java.util.Locale;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JavaFX application. Started by {@link Main}, which sets up the home and logging first. */
public final class TaskdeckApplication extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(TaskdeckApplication.class);

    /** Set by a signal (see {@link ExitSignals}); start-up checks it once the window is open. */
    private static volatile boolean exitRequested;
    /** Set once start-up is done: from then on an exit request goes straight to {@link Platform#exit()}. */
    private static volatile boolean started;
    private static volatile Console console;

    private UiTasks tasks;
    private LocalEngine local;

    /** Asks the console to close as if its window were closed; from any thread, at any moment. */
    static void requestExit() {
        exitRequested = true;
        if (started) {
            Platform.exit();
        }
    }

    /** The shutdown hook's part: save where the window is when the JVM exits some other way. */
    static void rememberWindowOnExit() {
        Console c = console;
        if (c == null) {
            return;
        }
        try {
            c.rememberWindow();
        } catch (RuntimeException e) {
            LOG.warn("Could not save the window position on exit", e);
        }
    }

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
        Console c = new Console(home, tasks, locale, local, ConnectionManager::http);
        console = c;
        if (!exitRequested) {
            c.show(stage);
            LOG.info("Console window open");
        }
        started = true;
        if (exitRequested) {
            // A signal came during start-up: stop() follows as soon as start() returns.
            Platform.exit();
        }
    }

    /**
     * Closes everything in order, however the console is left (window closed, signal): the live
     * views, the HTTP exposure, the connections, then Local's engine and store (so the SQLite file
     * is checkpointed and its lock released), and last the background executor.
     */
    @Override
    public void stop() {
        Console c = console;
        if (c != null) {
            rememberWindowOnExit();
            c.close();
        }
        if (local != null) {
            local.shutDown();
        }
        if (tasks != null) {
            tasks.close();
        }
        LOG.info("Taskdeck stopped");
    }
}
