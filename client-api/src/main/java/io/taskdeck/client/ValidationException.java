package io.taskdeck.client;

import java.util.List;

/**
 * The request was rejected as invalid (HTTP 400, 413 or 422); {@link #fieldErrors()} says which fields
 * and why.
 */
public class ValidationException extends TaskServerException {
    public ValidationException(String message, int status, ErrorBody body, Throwable cause) {
        super(message, status, body, cause);
    }

    /** For in-process implementations. */
    public ValidationException(String message, List<FieldError> fieldErrors) {
        this(message, 0, new ErrorBody("validation_failed", message, fieldErrors), null);
    }
}
