package io.taskdeck.server.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error pages (requests refused before they reach Javalin, such as a URI with an encoded
 * NUL) as JSON ErrorBody instead of HTML, so that every 4xx of the server is JSON.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private static String body(int status, String reason) {
        String code = status == 413 || status == 431 ? "payload_too_large" : status >= 500 ? "internal" : "bad_request";
        String message = "the request was refused: " + (reason == null ? "HTTP " + status : reason);
        return "{\"error\":\"" + code + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
                .replaceAll("[\\x00-\\x1f]", " ") + "\",\"fieldErrors\":[]}";
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON_UTF_8.asString()));
        return ByteBuffer.wrap(body(status, reason).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
            int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json; charset=utf-8");
        response.getOutputStream().write(body(code, message).getBytes(StandardCharsets.UTF_8));
    }
}
