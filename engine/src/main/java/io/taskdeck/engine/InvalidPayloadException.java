package io.taskdeck.engine;

import java.util.List;

/**
 * A payload refused at trigger time: it is not JSON, does not match the task's schema, or does
 * not bind to the task's payload type. Nothing was stored.
 */
public class InvalidPayloadException extends IllegalArgumentException {

    private final String taskId;
    private final List<String> problems;

    public InvalidPayloadException(String taskId, List<String> problems) {
        super("invalid payload for task " + taskId + ": " + String.join("; ", problems));
        this.taskId = taskId;
        this.problems = List.copyOf(problems);
    }

    public String taskId() {
        return taskId;
    }

    /** One line per problem, each naming the field (a JSON path such as {@code $.amount}). */
    public List<String> problems() {
        return problems;
    }
}
