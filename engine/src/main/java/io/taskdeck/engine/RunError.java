package io.taskdeck.engine;

import java.util.Objects;

/**
 * What went wrong in an attempt: the exception type, its message and stack trace as text.
 */
public record RunError(String type, String message, String stackTrace) {

    public RunError {
        Objects.requireNonNull(type, "type");
        message = message == null ? "" : message;
        stackTrace = stackTrace == null ? "" : stackTrace;
    }

    public static RunError of(String type, String message) {
        return new RunError(type, message, "");
    }

    public static RunError of(Throwable error) {
        var out = new java.io.StringWriter();
        error.printStackTrace(new java.io.PrintWriter(out));
        return new RunError(error.getClass().getName(), error.getMessage(), out.toString());
    }
}
