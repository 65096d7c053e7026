package io.taskdeck.engine;

/** Thrown inside a handler whose run was canceled, to unwind it. */
public class RunCancelledException extends RuntimeException {

    public RunCancelledException(String runId) {
        super("run " + runId + " was canceled");
    }
}
