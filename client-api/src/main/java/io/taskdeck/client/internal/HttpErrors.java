package io.taskdeck.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.client.ConflictException;
import io.taskdeck.client.ErrorBody;
import io.taskdeck.client.FieldError;
import io.taskdeck.client.ForbiddenException;
import io.taskdeck.client.NotFoundException;
import io.taskdeck.client.TaskServerException;
import io.taskdeck.client.UnauthorizedException;
import io.taskdeck.client.UnavailableException;
import io.taskdeck.client.ValidationException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.stream.Collectors;

/** Turns HTTP failures into the typed {@link TaskServerException}s. */
public final class HttpErrors {
    private HttpErrors() {
    }

    /**
     * @param what     {@code "GET /api/..."}, prefixed to the message
     * @param bodyText the response body, possibly empty or not JSON
     */
    public static TaskServerException forStatus(String what, int status, String bodyText, ObjectMapper mapper) {
        ErrorBody body = parseBody(bodyText, mapper);
        String message = what + " failed: HTTP " + status + describe(body, bodyText);
        return switch (status) {
            case 400, 413, 422 -> new ValidationException(message, status, body, null);
            case 401 -> new UnauthorizedException(message, status, body, null);
            case 403 -> new ForbiddenException(message, status, body, null);
            case 404 -> new NotFoundException(message, status, body, null);
            case 409 -> new ConflictException(message, status, body, null);
            case 429 -> new UnavailableException(message, status, body, null);
            default -> status >= 500
                    ? new UnavailableException(message, status, body, null)
                    : new TaskServerException(message, status, body, null);
        };
    }

    public static UnavailableException forIo(String what, IOException e) {
        String reason;
        if (e instanceof SocketTimeoutException) {
            reason = "timed out waiting for the server";
        } else if (e instanceof InterruptedIOException && "timeout".equals(e.getMessage())) {
            reason = "timed out (call timeout)";
        } else if (e instanceof InterruptedIOException) {
            reason = "interrupted";
        } else if (e instanceof ConnectException) {
            reason = "cannot connect to the server";
        } else if (e instanceof UnknownHostException) {
            reason = "unknown host " + e.getMessage();
        } else {
            reason = "connection failed";
        }
        return new UnavailableException(what + " failed: " + reason + " (" + e + ")", e);
    }

    private static ErrorBody parseBody(String bodyText, ObjectMapper mapper) {
        if (bodyText == null || bodyText.isBlank()) {
            return null;
        }
        try {
            ErrorBody body = mapper.readValue(bodyText, ErrorBody.class);
            return body.error() == null && body.message() == null ? null : body;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    private static String describe(ErrorBody body, String bodyText) {
        if (body == null) {
            if (bodyText == null || bodyText.isBlank()) {
                return "";
            }
            String trimmed = bodyText.strip();
            return ": " + (trimmed.length() > 200 ? trimmed.substring(0, 200) + "…" : trimmed);
        }
        StringBuilder sb = new StringBuilder();
        if (body.error() != null) {
            sb.append(' ').append(body.error());
        }
        if (body.message() != null) {
            sb.append(": ").append(body.message());
        }
        if (!body.fieldErrors().isEmpty()) {
            sb.append(" (").append(body.fieldErrors().stream().map(HttpErrors::describe)
                    .collect(Collectors.joining("; "))).append(')');
        }
        return sb.toString();
    }

    private static String describe(FieldError e) {
        return e.field() + ": expected " + e.expected() + (e.got() == null ? "" : ", got " + e.got());
    }
}
