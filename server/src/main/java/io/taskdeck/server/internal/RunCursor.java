package io.taskdeck.server.internal;

import io.taskdeck.client.FieldError;
import io.taskdeck.client.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The opaque page cursor of run listings: which search mode produced the page (see
 * {@code EngineTaskServer#listRuns}) and the engine's cursor (the last run id seen), base64url-encoded.
 */
public record RunCursor(char mode, String engineCursor) {

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_]{1,64}");

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("c1|" + mode + "|" + engineCursor).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a cursor sent by a client; anything not produced by {@link #encode} is a 400 naming "cursor". */
    public static RunCursor decode(String text) {
        if (text == null) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|", -1);
            if (parts.length == 3 && parts[0].equals("c1") && parts[1].length() == 1
                    && "aic".indexOf(parts[1].charAt(0)) >= 0 && RUN_ID.matcher(parts[2]).matches()) {
                return new RunCursor(parts[1].charAt(0), parts[2]);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new ValidationException("cursor is not a cursor this server returned",
                List.of(new FieldError("cursor", "the nextCursor of a previous page", Texts.abbreviate(text))));
    }
}
