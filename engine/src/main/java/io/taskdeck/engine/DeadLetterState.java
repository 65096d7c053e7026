package io.taskdeck.engine;

/** Where a run stands in the dead-letter set. */
public enum DeadLetterState {
    /** Never failed for good. */
    NONE,
    /** Failed for good and waiting for an operator. */
    OPEN,
    /** Put back in its queue by an operator; the history is kept. */
    REQUEUED,
    /** Resolved by an operator without running again. */
    DISCARDED
}
