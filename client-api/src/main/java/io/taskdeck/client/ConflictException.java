package io.taskdeck.client;

/** The request is valid but the target's state forbids it, for example cancelling a finished run or requeueing a run that is not a dead letter (HTTP 409). */
public class ConflictException extends TaskServerException {
    public ConflictException(String message, int status, ErrorBody body, Throwable cause) {
        super(message, status, body, cause);
    }

    public ConflictException(String message) {
        this(message, 0, null, null);
    }
}
