package io.taskdeck.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the server's append-only journal.
 *
 * @param seq     gap-free, strictly increasing across the whole server (starts at 1)
 * @param status  the run's status after this event
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
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        details = TaskdeckJson.absentIfNull(details);
    }
}
