package io.taskdeck.app.palette;

import java.util.Objects;

/** One entry of the command palette: what it says and what it does. */
public record Command(String title, String kind, Runnable action) {
    public Command {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(action, "action");
    }

    @Override
    public String toString() {
        return title;
    }
}
