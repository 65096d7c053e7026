package io.taskdeck.engine;

/** The optional lifecycle hooks of a task, as functional interfaces. */
public final class TaskHooks {

    private TaskHooks() {
    }

    /** Decides about a failed attempt; null means "follow the retry policy". */
    @FunctionalInterface
    public interface CatchError<P> {
        RetryDecision catchError(P payload, Throwable error, TaskContext context);
    }

    /** Before each attempt's handler. */
    @FunctionalInterface
    public interface OnStart<P> {
        void onStart(P payload, TaskContext context) throws Exception;
    }

    /** After the handler returned. */
    @FunctionalInterface
    public interface OnSuccess<P> {
        void onSuccess(P payload, Object output, TaskContext context) throws Exception;
    }

    /** After the run failed for good (no retry left, or retrying was skipped). */
    @FunctionalInterface
    public interface OnFailure<P> {
        void onFailure(P payload, Throwable error, TaskContext context) throws Exception;
    }
}
