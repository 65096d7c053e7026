package io.taskdeck.engine;

import java.util.Objects;

/** One item of a batch trigger: a payload (any JSON-serializable object, or a JsonNode) and its options. */
public record BatchItem(String taskId, Object payload, TriggerOptions options) {

    public BatchItem {
        Objects.requireNonNull(taskId, "taskId");
        options = options == null ? TriggerOptions.NONE : options;
    }

    public static BatchItem of(String taskId, Object payload) {
        return new BatchItem(taskId, payload, TriggerOptions.NONE);
    }
}
