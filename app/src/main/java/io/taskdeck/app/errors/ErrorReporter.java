package io.taskdeck.app.errors;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where unexpected errors end: logged in full, then shown to the user (by the app, in the
 * {@link ErrorDialog}), instead of a silent freeze. Installed as the default uncaught
 * exception handler, and the unhandled-error handler of background tasks.
 */
public final class ErrorReporter implements Thread.UncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorReporter.class);

    private final Path logFile;
    private final Consumer<ErrorReport> presenter;

    public ErrorReporter(Path logFile, Consumer<ErrorReport> presenter) {
        this.logFile = Objects.requireNonNull(logFile, "logFile");
        this.presenter = Objects.requireNonNull(presenter, "presenter");
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        LOG.error("Uncaught exception in thread {}", thread.getName(), error);
        present(error);
    }

    /** Reports an error caught somewhere that cannot handle it. */
    public void report(Throwable error) {
        LOG.error("Unexpected error", error);
        present(error);
    }

    private void present(Throwable error) {
        try {
            presenter.accept(ErrorReport.of(error, logFile));
        } catch (Throwable presentationError) {
            // Showing the error failed too: the log is the last resort, never a loop.
            LOG.error("Could not show the error to the user", presentationError);
        }
    }
}
