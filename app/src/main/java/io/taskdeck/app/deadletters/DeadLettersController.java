package io.taskdeck.app.deadletters;

/** The Dead letters view: failed runs grouped by error fingerprint, with requeue. A placeholder for now. */
public final class DeadLettersController {

    public DeadLettersController() {
        // Dependencies (the connection's TaskServer, UiTasks) arrive through this constructor
        // once the view has content; the ControllerFactory in Console creates it.
    }
}
