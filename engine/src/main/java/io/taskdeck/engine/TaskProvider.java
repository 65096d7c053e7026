package io.taskdeck.engine;

import java.util.List;

/**
 * Contributes task definitions from a jar or a classes folder. Implementations are found with
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.taskdeck.engine.TaskProvider}. The console's "Open task jar…" and the
 * server's {@code --tasks} option load a user's tasks this way; the demo tasks are one provider too.
 */
public interface TaskProvider {

    /** A short name for messages, e.g. the jar's purpose ("demo tasks"). */
    default String name() {
        return getClass().getName();
    }

    /** The tasks to register; called once per load. */
    List<TaskDefinition<?>> tasks();
}
