package io.taskdeck.engine;

import java.util.List;

/** What a handler knows about its run and can do from inside it. */
public interface TaskContext {

    String runId();

    String taskId();

    /** 1 for the first attempt. */
    int attempt();

    /** The run as it was when this attempt started. */
    Run run();

    TaskLogger logger();

    RunMetadata metadata();

    /** Triggers a child run (its parent is this run) and returns at once. */
    TriggerResult trigger(String taskId, Object payload, TriggerOptions options);

    default TriggerResult trigger(String taskId, Object payload) {
        return trigger(taskId, payload, TriggerOptions.NONE);
    }

    BatchResult batchTrigger(List<BatchItem> items);

    /**
     * Triggers a child run and blocks until it ends. While it waits this run is WAITING and gives
     * its concurrency slot back, so a parent and its children sharing one queue never deadlock.
     */
    RunOutcome triggerAndWait(String taskId, Object payload, TriggerOptions options) throws InterruptedException;

    default RunOutcome triggerAndWait(String taskId, Object payload) throws InterruptedException {
        return triggerAndWait(taskId, payload, TriggerOptions.NONE);
    }

    /**
     * Waits on the engine's clock (so a {@link ManualClock} in a test ends it by advancing), holding
     * the run's concurrency slot meanwhile: a pause inside an attempt, not a checkpoint. A cancel
     * or a maxDuration timeout ends the wait with {@link RunCancelledException}.
     *
     * @throws IllegalArgumentException for a negative duration
     */
    void sleep(java.time.Duration duration) throws InterruptedException;

    /** True once the run was canceled (or timed out); a handler should stop soon. */
    boolean isCancelled();

    /** Throws {@link RunCancelledException} when the run was canceled. */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new RunCancelledException(runId());
        }
    }
}
