package io.taskdeck.app.errors;

import io.taskdeck.client.ConflictException;
import io.taskdeck.client.FieldError;
import io.taskdeck.client.ForbiddenException;
import io.taskdeck.client.NotFoundException;
import io.taskdeck.client.TaskServerException;
import io.taskdeck.client.UnauthorizedException;
import io.taskdeck.client.UnavailableException;
import io.taskdeck.client.ValidationException;
import java.util.stream.Collectors;

/**
 * Turns what a server call threw into one sentence a user can act on: a refused key, an
 * unreachable server, a validation failure with its fields. Never a stack trace.
 */
public final class ServerErrors {

    private ServerErrors() {
    }

    public static String describe(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof UnauthorizedException) {
            return "The server refused the API key (401 unauthorized). Check the key in the connection's settings.";
        }
        if (e instanceof ForbiddenException) {
            return "Not allowed with this key's role: " + e.getMessage();
        }
        if (e instanceof NotFoundException) {
            return "Not found: " + e.getMessage();
        }
        if (e instanceof ValidationException v) {
            String fields = v.fieldErrors().stream().map(ServerErrors::field).collect(Collectors.joining("; "));
            return fields.isEmpty() ? "Invalid input: " + v.getMessage() : "Invalid input: " + fields;
        }
        if (e instanceof ConflictException) {
            return "Not possible in the run's current state: " + e.getMessage();
        }
        if (e instanceof UnavailableException u) {
            String cause = u.getCause() == null ? null : u.getCause().getMessage();
            if (u.status() == 0) {
                return "Cannot reach the server: " + (cause != null ? cause : u.getMessage());
            }
            return "The server could not answer (HTTP " + u.status() + "): " + u.getMessage();
        }
        if (e instanceof TaskServerException) {
            return e.getMessage();
        }
        if (e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String field(FieldError f) {
        StringBuilder b = new StringBuilder(f.field());
        if (f.expected() != null) {
            b.append(": expected ").append(f.expected());
        }
        if (f.got() != null) {
            b.append(", got ").append(f.got());
        }
        return b.toString();
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof java.util.concurrent.CompletionException
                || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
