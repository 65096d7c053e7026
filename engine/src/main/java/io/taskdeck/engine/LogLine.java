package io.taskdeck.engine;

import java.time.Instant;

/** One line a handler logged through its context, stored with the attempt that wrote it. */
public record LogLine(String runId, int attempt, Instant at, Level level, String message) {

    public enum Level { DEBUG, INFO, WARN, ERROR }
}
