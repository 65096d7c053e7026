package io.taskdeck.engine;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A run's status, with Trigger.dev's names. The allowed transitions are written down here,
 * once; every store refuses any other.
 */
public enum RunStatus {
    /** Triggered with a delay; becomes QUEUED when the delay is over. */
    DELAYED,
    /** Waiting for a slot; also a run waiting for its retry timer (attempts &gt; 0). */
    QUEUED,
    /** Claimed by a node and running an attempt. */
    EXECUTING,
    /** A parent blocked in triggerAndWait; it gives its concurrency slot back meanwhile. */
    WAITING,
    COMPLETED,
    /** The last attempt threw. */
    FAILED,
    /** The run died without an answer: its node was lost with no attempt left, or the handler threw an Error. */
    CRASHED,
    CANCELED,
    /** Still pending when its TTL ran out. */
    EXPIRED,
    /** An attempt ran longer than the task's maxDuration. */
    TIMED_OUT,
    /** The engine could not run the handler: the payload did not bind, the output did not serialize. */
    SYSTEM_FAILURE;

    private static final Map<RunStatus, Set<RunStatus>> ALLOWED = new EnumMap<>(RunStatus.class);

    static {
        allow(DELAYED, DELAYED, QUEUED, CANCELED, EXPIRED);
        allow(QUEUED, EXECUTING, CANCELED, EXPIRED, DELAYED);
        allow(EXECUTING, COMPLETED, FAILED, CRASHED, TIMED_OUT, SYSTEM_FAILURE, CANCELED, QUEUED, WAITING);
        allow(WAITING, EXECUTING, CANCELED, QUEUED, CRASHED, TIMED_OUT);
        // Dead letters go back to the queue on requeue.
        allow(FAILED, QUEUED);
        allow(CRASHED, QUEUED);
        allow(TIMED_OUT, QUEUED);
        allow(SYSTEM_FAILURE, QUEUED);
        allow(COMPLETED);
        allow(CANCELED);
        allow(EXPIRED);
    }

    private static void allow(RunStatus from, RunStatus... to) {
        ALLOWED.put(from, to.length == 0
                ? Collections.unmodifiableSet(EnumSet.noneOf(RunStatus.class))
                : Collections.unmodifiableSet(EnumSet.of(to[0], to)));
    }

    /** The statuses a run in this status may move to. */
    public Set<RunStatus> next() {
        return ALLOWED.get(this);
    }

    public boolean canTransitionTo(RunStatus target) {
        return ALLOWED.get(this).contains(target);
    }

    /** No attempt will run any more unless an operator requeues it. */
    public boolean isFinal() {
        return switch (this) {
            case COMPLETED, FAILED, CRASHED, CANCELED, EXPIRED, TIMED_OUT, SYSTEM_FAILURE -> true;
            default -> false;
        };
    }

    /** A final failure: such a run enters the dead-letter set. */
    public boolean isDeadLetter() {
        return switch (this) {
            case FAILED, CRASHED, TIMED_OUT, SYSTEM_FAILURE -> true;
            default -> false;
        };
    }

    /** Triggered but not started (or waiting for a retry). */
    public boolean isPending() {
        return this == DELAYED || this == QUEUED;
    }

    /** Holds its queue's concurrency slot. */
    public boolean holdsQueueSlot() {
        return this == EXECUTING;
    }
}
