package io.taskdeck.engine;

import java.util.NoSuchElementException;

/** A task id that is not registered with the engine. */
public class UnknownTaskException extends NoSuchElementException {

    private final String taskId;

    public UnknownTaskException(String taskId) {
        super("no task registered with id " + taskId);
        this.taskId = taskId;
    }

    public String taskId() {
        return taskId;
    }
}
