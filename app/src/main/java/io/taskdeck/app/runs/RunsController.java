package io.taskdeck.app.runs;

/** The Runs view: every run of a connection, live (issue 3). A placeholder for now. */
public final class RunsController {

    public RunsController() {
        // Dependencies (the connection's TaskServer, UiTasks) arrive through this constructor
        // once the view has content; the ControllerFactory in Console creates it.
    }
}
