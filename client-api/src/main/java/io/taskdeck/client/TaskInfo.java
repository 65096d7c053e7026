package io.taskdeck.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A registered task.
 *
 * @param queue               the queue its runs go to by default
 * @param concurrencyLimit    its queue's declared limit, null for unlimited
 * @param concurrencyKeyLimit runs per concurrency key at once
 * @param maxDuration         per-attempt limit, null for none
 * @param payloadSchema       JSON Schema of the payload, or null
 * @param counts              number of its runs per status (statuses with no runs may be absent)
 */
public record TaskInfo(
        String id,
        String queue,
        Integer concurrencyLimit,
        int concurrencyKeyLimit,
        Duration maxDuration,
        RetryPolicy retry,
        JsonNode payloadSchema,
        Map<RunStatus, Long> counts) {

    public TaskInfo {
        Objects.requireNonNull(id, "id");
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        payloadSchema = TaskdeckJson.absentIfNull(payloadSchema);
    }
}
