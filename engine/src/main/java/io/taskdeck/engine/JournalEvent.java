package io.taskdeck.engine;

import java.time.Instant;

/**
 * One entry of the append-only journal. The store assigns {@code seq} in the same atomic step
 * as the change it records, gap-free and increasing.
 *
 * @param runId  null for queue events
 * @param from   the status before, null for a trigger or a queue event
 * @param to     the status after, null for a queue event
 * @param detail a short human text: the retry delay, the error message, the queue change
 */
public record JournalEvent(
        long seq,
        Instant at,
        Kind kind,
        String runId,
        String taskId,
        String queue,
        RunStatus from,
        RunStatus to,
        int attempt,
        String detail) {

    public enum Kind {
        /** A run was recorded (to = DELAYED or QUEUED). */
        RUN_TRIGGERED,
        /** A run changed status. */
        RUN_STATUS_CHANGED,
        /** A run changed without a status change: metadata, dead-letter discard, reschedule. */
        RUN_UPDATED,
        /** A queue's limit override or paused flag changed. */
        QUEUE_UPDATED
    }

    public JournalEvent withSeq(long sequence) {
        return new JournalEvent(sequence, at, kind, runId, taskId, queue, from, to, attempt, detail);
    }
}
