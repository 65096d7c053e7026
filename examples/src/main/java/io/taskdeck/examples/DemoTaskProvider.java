package io.taskdeck.examples;

import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.TaskProvider;

import java.util.List;

/**
 * The demo tasks as a {@link TaskProvider}, found by {@link java.util.ServiceLoader}: the server
 * and the console load them this way. Durations run on the wall clock; code that owns the engine
 * (and its clock) uses {@link DemoTasks} directly.
 */
public final class DemoTaskProvider implements TaskProvider {

    private final DemoTasks tasks;

    public DemoTaskProvider() {
        this(new DemoTasks());
    }

    public DemoTaskProvider(DemoTasks tasks) {
        this.tasks = tasks;
    }

    @Override
    public String name() {
        return "demo tasks";
    }

    @Override
    public List<TaskDefinition<?>> tasks() {
        return tasks.definitions();
    }

    /** What the demo tasks did: charges, mails, workspace records and cache, alerts, dead-letter records. */
    public DemoStore store() {
        return tasks.store();
    }

    public DemoTasks demoTasks() {
        return tasks;
    }
}
