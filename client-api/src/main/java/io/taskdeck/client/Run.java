package io.taskdeck.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One run of a task. Nullable fields are null when unset. In run lists ({@link TaskServer#listRuns})
 * {@code payload} and {@code output} are null to keep pages light; {@link TaskServer#getRun} fills them.
 * A JSON {@code null} in a JSON-valued field is read as Java null.
 *
 * @param id             {@code "run_..."}
 * @param metadata       a JSON object, or null
 * @param priority       seconds of head start over runs triggered at the same time (Trigger.dev semantics)
 * @param error          the last attempt's error, for failed runs
 * @param attemptCount   attempts started so far
 * @param delayUntil     when a DELAYED run becomes QUEUED
 * @param ttl            how long the run may wait before starting; EXPIRED afterwards
 * @param parentId       the run that triggered this one, or null
 * @param rootId         the root of the trigger tree, or null for a root run
 * @param seq            sequence number of the last event about this run
 */
public record Run(
        String id,
        String taskId,
        RunStatus status,
        String queue,
        String concurrencyKey,
        String idempotencyKey,
        List<String> tags,
        JsonNode metadata,
        int priority,
        JsonNode payload,
        JsonNode output,
        RunError error,
        int attemptCount,
        int maxAttempts,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant delayUntil,
        Duration ttl,
        String parentId,
        String rootId,
        long seq) {

    public Run {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(status, "status");
        tags = tags == null ? List.of() : List.copyOf(tags);
        metadata = TaskdeckJson.absentIfNull(metadata);
        payload = TaskdeckJson.absentIfNull(payload);
        output = TaskdeckJson.absentIfNull(output);
    }
}
