package io.taskdeck.app.timeline;

/** The Timeline view: lanes per queue and concurrency slot, a bar per attempt. A placeholder for now. */
public final class TimelineController {

    public TimelineController() {
        // Dependencies (the connection's TaskServer, UiTasks) arrive through this constructor
        // once the view has content; the ControllerFactory in Console creates it.
    }
}
