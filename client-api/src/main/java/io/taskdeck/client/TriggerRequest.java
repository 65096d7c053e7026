package io.taskdeck.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One item of a batch trigger.
 *
 * @param payload any JSON value; null is sent as JSON null
 * @param options null for none
 */
public record TriggerRequest(String taskId, JsonNode payload, TriggerOptions options) {
    public TriggerRequest {
        Objects.requireNonNull(taskId, "taskId");
        if (taskId.isBlank()) {
            throw new IllegalArgumentException("taskId must not be blank");
        }
        options = options == null ? TriggerOptions.NONE : options;
        payload = TaskdeckJson.absentIfNull(payload);
    }
}
