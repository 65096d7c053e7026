package io.taskdeck.engine;

/**
 * Thrown by a handler to fail the run at once, without retrying (Trigger.dev's
 * {@code AbortTaskRunError}).
 */
public class AbortTaskRunError extends RuntimeException {

    public AbortTaskRunError(String message) {
        super(message);
    }

    public AbortTaskRunError(String message, Throwable cause) {
        super(message, cause);
    }
}
