package io.taskdeck.engine;

/** A change to a queue's live settings. */
public sealed interface QueueUpdate {

    record OverrideLimit(int limit) implements QueueUpdate {
        public OverrideLimit {
            if (limit < 0) {
                throw new IllegalArgumentException("concurrencyLimit must be >= 0, got " + limit);
            }
        }
    }

    record ResetLimit() implements QueueUpdate {
    }

    record SetPaused(boolean paused) implements QueueUpdate {
    }

    static QueueUpdate overrideLimit(int limit) {
        return new OverrideLimit(limit);
    }

    static QueueUpdate resetLimit() {
        return new ResetLimit();
    }

    static QueueUpdate pause() {
        return new SetPaused(true);
    }

    static QueueUpdate resume() {
        return new SetPaused(false);
    }
}
