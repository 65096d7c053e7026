package io.taskdeck.engine;

/** An action that the run's current status does not allow (requeue a completed run, ...). */
public class IllegalRunStateException extends IllegalStateException {

    private final String runId;
    private final RunStatus status;

    public IllegalRunStateException(String runId, RunStatus status, String action) {
        super("cannot " + action + " run " + runId + ": it is " + status);
        this.runId = runId;
        this.status = status;
    }

    public String runId() {
        return runId;
    }

    public RunStatus status() {
        return status;
    }
}
