package io.taskdeck.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the server's append-only journal: a change of a run or, with type
 * {@link RunEventType#QUEUE_UPDATED}, of a queue (a limit override or reset, a pause or resume).
 *
 * @param seq     gap-free, strictly increasing across the whole server (starts at 1)
 * @param runId   the run, or null for a queue event
 * @param status  the run's status after this event, or null for a queue event
 * @param attempt the attempt the event belongs to, or null
 * @param details type-specific fields, a JSON object or null
 */
public record RunEvent(
        long seq,
        Instant at,
        String runId,
        String taskId,
        String queue,
        RunEventType type,
        RunStatus status,
        Integer attempt,
        JsonNode details) {

    public RunEvent {
        Objects.requireNonNull(type, "type");
        if (type != RunEventType.QUEUE_UPDATED) {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(status, "status");
        }
        details = TaskdeckJson.absentIfNull(details);
    }

    /** True for a queue's change, which has no run and no status. */
    public boolean isQueueEvent() {
        return type == RunEventType.QUEUE_UPDATED;
    }
}
