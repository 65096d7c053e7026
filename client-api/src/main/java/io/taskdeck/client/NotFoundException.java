package io.taskdeck.client;

/** The run, queue, task, bulk action or dead-letter group does not exist (HTTP 404). */
public class NotFoundException extends TaskServerException {
    public NotFoundException(String message, int status, ErrorBody body, Throwable cause) {
        super(message, status, body, cause);
    }

    public NotFoundException(String message) {
        this(message, 0, null, null);
    }
}
