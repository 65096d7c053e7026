package io.taskdeck.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration of the wire records, shared by the client and the server so that the
 * two cannot drift apart: instants as ISO-8601 UTC strings ({@code "2025-01-31T12:00:00.123Z"}),
 * durations as ISO-8601 durations ({@code "PT10M"}), unknown properties ignored, unknown enum
 * constants read as the enum's {@code @JsonEnumDefaultValue} where it has one.
 */
public final class TaskdeckJson {
    private TaskdeckJson() {
    }

    /** JSON null and absent are one thing in the records: Java null. */
    static JsonNode absentIfNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    /** A new mapper with Taskdeck's configuration. */
    public static ObjectMapper newMapper() {
        return configure(new ObjectMapper());
    }

    /** Applies Taskdeck's configuration to {@code mapper} (for a framework's own mapper) and returns it. */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE);
    }
}
