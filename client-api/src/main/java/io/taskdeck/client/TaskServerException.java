package io.taskdeck.client;

import java.util.List;

/**
 * Base of every error a {@link TaskServer} call throws. Subclasses say what kind of failure it was;
 * this class itself is thrown for responses that fit none of them (an unexpected status, a malformed
 * body).
 */
public class TaskServerException extends RuntimeException {
    private final int status;
    private final ErrorBody body;

    /**
     * @param status the HTTP status, or 0 when no response was received
     * @param body   the server's error body, or null
     */
    public TaskServerException(String message, int status, ErrorBody body, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.body = body;
    }

    public TaskServerException(String message) {
        this(message, 0, null, null);
    }

    /** The HTTP status, or 0 when there was no response (in-process server, connection failure). */
    public int status() {
        return status;
    }

    /** The server's error code ({@code "not_found"}, ...), or null. */
    public String errorCode() {
        return body == null ? null : body.error();
    }

    /** The field errors the server reported; empty unless validation failed. */
    public List<FieldError> fieldErrors() {
        return body == null ? List.of() : body.fieldErrors();
    }

    /** The server's error body, or null. */
    public ErrorBody body() {
        return body;
    }
}
