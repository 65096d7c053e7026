package io.taskdeck.engine;

/**
 * A queue as a task declares it: its name, how many of its runs may execute at once, and how
 * many runs sharing one concurrencyKey may (default 1: per-entity order).
 */
public record QueueOptions(String name, int concurrencyLimit, int concurrencyKeyLimit) {

    /** A task without a declared limit runs this many at once, per queue. */
    public static final int DEFAULT_CONCURRENCY_LIMIT = 100;

    public QueueOptions {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("queue.name must not be blank");
        }
        if (concurrencyLimit < 0) {
            throw new IllegalArgumentException("queue " + name + ": concurrencyLimit must be >= 0, got " + concurrencyLimit);
        }
        if (concurrencyKeyLimit < 1) {
            throw new IllegalArgumentException("queue " + name + ": concurrencyKeyLimit must be >= 1, got " + concurrencyKeyLimit);
        }
    }

    public static QueueOptions named(String name) {
        return new QueueOptions(name, DEFAULT_CONCURRENCY_LIMIT, 1);
    }

    public static QueueOptions of(String name, int concurrencyLimit) {
        return new QueueOptions(name, concurrencyLimit, 1);
    }

    public QueueOptions withConcurrencyKeyLimit(int value) {
        return new QueueOptions(name, concurrencyLimit, value);
    }
}
