package io.taskdeck.app.shell;

import java.util.Objects;

/**
 * A server the console shows: the embedded local engine or a remote Taskdeck server.
 *
 * @param id   stable id, used in node ids ({@code nav-<id>-<view>}): lower-case letters, digits, dashes
 * @param name what the user sees
 */
public record Connection(String id, String name, Kind kind) {

    public enum Kind { LOCAL, REMOTE }

    /** The embedded engine; always present. */
    public static final Connection LOCAL = new Connection("local", "Local", Kind.LOCAL);

    public Connection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (!id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException(
                    "connection id must be lower-case letters, digits and dashes, was '" + id + "'");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("connection name must not be blank (id " + id + ")");
        }
    }
}
