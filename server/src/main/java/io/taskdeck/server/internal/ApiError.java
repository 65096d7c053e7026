package io.taskdeck.server.internal;

import io.taskdeck.client.ErrorBody;
import io.taskdeck.client.FieldError;
import java.util.List;

/** An HTTP error answer with its JSON body, thrown by handlers and written by the error mapper. */
public final class ApiError extends RuntimeException {
    private final int status;
    private final ErrorBody body;

    public ApiError(int status, String code, String message, List<FieldError> fieldErrors) {
        super(message, null, false, false);
        this.status = status;
        this.body = new ErrorBody(code, message, fieldErrors);
    }

    public static ApiError badRequest(String message, FieldError... errors) {
        return new ApiError(400, "bad_request", message, List.of(errors));
    }

    public static ApiError invalid(String message, List<FieldError> errors) {
        return new ApiError(422, "validation_failed", message, errors);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, List.of());
    }

    public static ApiError tooLarge(String message) {
        return new ApiError(413, "payload_too_large", message, List.of());
    }

    public int status() {
        return status;
    }

    public ErrorBody body() {
        return body;
    }
}
