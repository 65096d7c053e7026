package io.taskdeck.app.queues;

/** The Queues view: running versus limit, backlog, throughput; live limit override and pause. A placeholder for now. */
public final class QueuesController {

    public QueuesController() {
        // Dependencies (the connection's TaskServer, UiTasks) arrive through this constructor
        // once the view has content; the ControllerFactory in Console creates it.
    }
}
