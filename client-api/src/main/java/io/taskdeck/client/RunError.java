package io.taskdeck.client;

import java.util.Objects;

/**
 * Why an attempt or a run failed.
 *
 * @param message the error message, never null (may be empty)
 * @param type    the error's type name (for example a Java class name or {@code "TimeoutError"}); may be null
 * @param stack   the stack trace as text; may be null
 */
public record RunError(String message, String type, String stack) {
    public RunError {
        Objects.requireNonNull(message, "message");
    }
}
