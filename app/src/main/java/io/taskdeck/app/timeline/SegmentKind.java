package io.taskdeck.app.timeline;

/** What a run was doing during one segment of its life on the timeline. */
public enum SegmentKind {
    /** Triggered with a delay, not yet in the queue. */
    DELAYED,
    /** In the queue, waiting for a free concurrency slot (first start or the next attempt). */
    QUEUED,
    /** An attempt running on a node. */
    EXECUTING,
    /** A failed attempt's retry delay: from the failure to the time the next attempt is due. */
    BACKOFF,
    /** Suspended while waiting on child runs ({@code triggerAndWait}). */
    WAITING;

    static final SegmentKind[] VALUES = values();
}
