package io.taskdeck.app.timeline;

import io.taskdeck.client.RunStatus;

/**
 * One span of a run's life, in epoch milliseconds.
 *
 * @param end     exclusive; {@link #OPEN} while it lasts (drawn up to now)
 * @param attempt the attempt it belongs to (0 before the first)
 * @param outcome how an EXECUTING segment ended: the run's final status, FAILED for an attempt
 *                that will be retried, WAITING when it suspended, CRASHED when its lease was
 *                lost; null while open and for the other kinds
 */
public record Segment(SegmentKind kind, long start, long end, int attempt, RunStatus outcome) {

    public static final long OPEN = Long.MAX_VALUE;

    public boolean isOpen() {
        return end == OPEN;
    }

    /** Its length up to {@code now} for an open segment. */
    public long durationMs(long now) {
        return Math.max(0, (isOpen() ? now : end) - start);
    }
}
