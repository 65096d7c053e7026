package io.taskdeck.engine;

/**
 * A queue as the store sees it right now.
 *
 * @param concurrencyLimit         the limit from the task definitions
 * @param concurrencyLimitOverride set live by an operator, null when not overridden
 * @param executing                runs holding a slot now
 * @param queued                   runs due and waiting for a slot (retry timers excluded)
 */
public record QueueState(
        String name,
        int concurrencyLimit,
        Integer concurrencyLimitOverride,
        int concurrencyKeyLimit,
        boolean paused,
        int executing,
        int queued) {

    public int effectiveLimit() {
        return concurrencyLimitOverride != null ? concurrencyLimitOverride : concurrencyLimit;
    }
}
