package io.taskdeck.engine;

/** How an attempt ended. */
public enum AttemptOutcome {
    RUNNING,
    SUCCEEDED,
    /** The handler threw; the run retries or fails depending on its budget. */
    FAILED,
    TIMED_OUT,
    CANCELED,
    /** The node lost its lease, or the handler threw an Error. */
    CRASHED,
    SYSTEM_FAILURE,
    /** The parent waited for children and got its slot back later; the attempt goes on. */
    SUSPENDED
}
