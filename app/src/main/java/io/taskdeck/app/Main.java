package io.taskdeck.app;

import javafx.application.Application;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the console: {@code java -cp app/target/taskdeck-app.jar:app/target/lib/* io.taskdeck.app.Main}.
 *
 * <p>A plain class, not the {@link Application} subclass, so that the JavaFX modules can sit
 * on the class path. It prepares the home directory and logging before anything logs:
 * logback reads the log directory from {@value #LOG_DIR_PROPERTY} when it first starts.
 */
public final class Main {

    /** Where logback writes the rolling log (read by io/taskdeck/app/logback.xml). */
    public static final String LOG_DIR_PROPERTY = "taskdeck.logs.dir";
    private static final String LOGBACK_CONFIG_PROPERTY = "logback.configurationFile";

    private Main() {
    }

    public static void main(String[] args) {
        AppHome home;
        try {
            home = AppHome.resolve().prepare();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("taskdeck: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.setProperty(LOG_DIR_PROPERTY, home.logsDir().toString());
        if (System.getProperty(LOGBACK_CONFIG_PROPERTY) == null) {
            // Our configuration, whatever other logback.xml a dependency brings along.
            System.setProperty(LOGBACK_CONFIG_PROPERTY, "io/taskdeck/app/logback.xml");
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("Taskdeck {} starting on Java {}; home {}", AppVersion.current(),
                Runtime.version(), home.dir());
        // Until the window can show errors, they are at least logged.
        Thread.setDefaultUncaughtExceptionHandler((thread, error) ->
                log.error("Uncaught exception in thread {} during start-up", thread.getName(), error));
        // Before the toolkit starts, so that a signal at any moment, even during start-up, means an orderly exit.
        ExitSignals.install(TaskdeckApplication::requestExit);
        Runtime.getRuntime().addShutdownHook(new Thread(TaskdeckApplication::rememberWindowOnExit,
                "taskdeck-remember-window"));
        try {
            Application.launch(TaskdeckApplication.class, args);
        } catch (RuntimeException e) {
            log.error("Taskdeck could not start", e);
            System.err.println("taskdeck: could not start: " + e.getMessage() + " (details in " + home.logFile() + ")");
            System.exit(1);
        }
        // The console has stopped (its store is closed): leave at once, whatever thread a library left running.
        System.exit(0);
    }
}
