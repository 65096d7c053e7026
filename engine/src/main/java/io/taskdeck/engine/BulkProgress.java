package io.taskdeck.engine;

/** Where a bulk requeue stands. */
public record BulkProgress(int total, int done, int requeued, int failed, State state, String lastError) {

    public enum State { RUNNING, COMPLETED, ABORTED }

    public boolean finished() {
        return state != State.RUNNING;
    }
}
