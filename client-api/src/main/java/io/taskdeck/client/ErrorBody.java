package io.taskdeck.client;

import java.util.List;

/**
 * The JSON body of every 4xx/5xx response.
 *
 * @param error       a stable machine-readable code ({@code "not_found"}, {@code "validation_failed"}, ...)
 * @param message     a sentence for a human
 * @param fieldErrors the offending fields for validation errors, else empty
 */
public record ErrorBody(String error, String message, List<FieldError> fieldErrors) {
    public ErrorBody {
        fieldErrors = fieldErrors == null ? List.of() : List.copyOf(fieldErrors);
    }
}
