package io.taskdeck.app.tasks;

/** The Tasks view: the task catalog of a connection, with trigger. A placeholder for now. */
public final class TasksController {

    public TasksController() {
        // Dependencies (the connection's TaskServer, UiTasks) arrive through this constructor
        // once the view has content; the ControllerFactory in Console creates it.
    }
}
