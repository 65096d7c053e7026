package io.taskdeck.client;

/** The API key's role may not do this (HTTP 403). */
public class ForbiddenException extends TaskServerException {
    public ForbiddenException(String message, int status, ErrorBody body, Throwable cause) {
        super(message, status, body, cause);
    }

    public ForbiddenException(String message) {
        this(message, 0, null, null);
    }
}
