package io.taskdeck.client;

/**
 * The server could not be reached or could not answer: connection refused or dropped, a timeout, a 5xx
 * or a 429. Trying again later may succeed. For a POST it is unknown whether the server acted on it.
 */
public class UnavailableException extends TaskServerException {
    public UnavailableException(String message, int status, ErrorBody body, Throwable cause) {
        super(message, status, body, cause);
    }

    public UnavailableException(String message, Throwable cause) {
        this(message, 0, null, cause);
    }
}
