package io.taskdeck.app.shell;

import java.util.Objects;

/** One place in the navigation: a view of a connection. */
public record Destination(Connection connection, View view) {

    public Destination {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(view, "view");
    }

    /** Node id of the navigation entry leading here. */
    public String navigationId() {
        return "nav-" + connection.id() + "-" + view.key();
    }
}
