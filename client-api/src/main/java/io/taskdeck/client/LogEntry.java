package io.taskdeck.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A line a task logged through its context.
 *
 * @param attempt the attempt that logged it (1-based)
 * @param data    structured fields logged with the message, a JSON object or null
 */
public record LogEntry(Instant at, LogLevel level, int attempt, String message, JsonNode data) {
    public LogEntry {
        data = TaskdeckJson.absentIfNull(data);
    }

}
