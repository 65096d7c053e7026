package io.taskdeck.engine;

/** The body of a task: gets the bound payload and the run's context, returns the output (or null). */
@FunctionalInterface
public interface TaskHandler<P> {

    Object run(P payload, TaskContext context) throws Exception;
}
