package io.taskdeck.client;

/** The API key is missing, unknown or revoked (HTTP 401). */
public class UnauthorizedException extends TaskServerException {
    public UnauthorizedException(String message, int status, ErrorBody body, Throwable cause) {
        super(message, status, body, cause);
    }

    public UnauthorizedException(String message) {
        this(message, 0, null, null);
    }
}
