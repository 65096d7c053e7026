package io.taskdeck.app.shell;

/** A view that can load its data again (F5). */
public interface Refreshable {
    void refresh();
}
