package io.taskdeck.app.connections;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * A remote Taskdeck server the user added: what is kept in {@code connections.json}. The API key
 * is kept apart, in the owner-only {@link CredentialStore}.
 *
 * @param id   stable id (lower-case letters, digits, dashes), also the key's name in the credential store
 * @param name what the user sees
 * @param url  the server's base URL, {@code http://} or {@code https://}
 */
public record RemoteConnection(String id, String name, String url) {

    public RemoteConnection {
        Objects.requireNonNull(id, "id");
        name = requireText("name", name);
        url = normalizeUrl(url);
    }

    /**
     * A checked, normalized base URL (no trailing slash).
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static String normalizeUrl(String url) {
        String text = requireText("URL", url);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("URL '" + text + "' is not valid: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("URL '" + text + "' must start with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("URL '" + text + "' names no host");
        }
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static String requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The connection's " + what + " must not be empty");
        }
        return value.strip();
    }

    /** How the navigation shows it. */
    public io.taskdeck.app.shell.Connection toConnection() {
        return new io.taskdeck.app.shell.Connection(id, name, io.taskdeck.app.shell.Connection.Kind.REMOTE);
    }

    /** A connection id made from a name: lower-case letters, digits and dashes, never "local". */
    public static String idFor(String name) {
        String id = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (id.isEmpty()) {
            id = "server";
        }
        return id.equals("local") ? "local-remote" : id;
    }
}
