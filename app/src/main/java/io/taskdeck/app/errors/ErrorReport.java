package io.taskdeck.app.errors;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the user is told about an unexpected error: a short message in words, where the
 * log is, and the stack trace only as details to expand.
 *
 * @param message what went wrong, one or two sentences, no stack trace
 * @param logFile the log the full details were written to
 * @param details the stack trace, for the expandable area and for bug reports
 */
public record ErrorReport(String message, Path logFile, String details) {

    public ErrorReport {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(details, "details");
    }

    public static ErrorReport of(Throwable error, Path logFile) {
        Objects.requireNonNull(error, "error");
        return new ErrorReport(describe(error), logFile, stackTrace(error));
    }

    /** "What: why" in words: the outermost message and, when it adds something, the root cause's. */
    static String describe(Throwable error) {
        String outer = sentence(error);
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != error) {
            String inner = sentence(root);
            if (!outer.contains(inner)) {
                return outer + "\nCause: " + inner;
            }
        }
        return outer;
    }

    private static String sentence(Throwable t) {
        String message = t.getMessage();
        String kind = t.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return kind;
        }
        String firstLine = message.strip().lines().findFirst().orElse("");
        return firstLine.length() > 300 ? firstLine.substring(0, 300) + "…" : firstLine;
    }

    private static String stackTrace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** The text under the headline: the message and where the log is. */
    public String body() {
        return message + "\n\nThe full details were written to the log:\n" + logFile;
    }
}
