package io.taskdeck.engine;

import java.util.NoSuchElementException;

/** A run id the store does not know. */
public class UnknownRunException extends NoSuchElementException {

    private final String runId;

    public UnknownRunException(String runId) {
        super("no run with id " + runId);
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }
}
