package io.taskdeck.client;

import java.time.Duration;
import java.util.Objects;

/**
 * A queue and its live figures.
 *
 * @param concurrencyLimit     the limit in force (the override when there is one), null for unlimited
 * @param baseConcurrencyLimit the limit the task code declared, null for unlimited
 * @param override             the run-time override, or null
 * @param running              runs EXECUTING now
 * @param queued               runs QUEUED (the backlog)
 * @param delayed              runs DELAYED
 * @param throughputPerSecond  runs finished per second over the last minute
 * @param waitP95              95th percentile of queued → started over the last minute, null without data
 * @param oldestWaitingAge     age of the oldest QUEUED run, null when none waits
 */
public record QueueInfo(
        String name,
        Integer concurrencyLimit,
        Integer baseConcurrencyLimit,
        ConcurrencyOverride override,
        int running,
        long queued,
        long delayed,
        boolean paused,
        double throughputPerSecond,
        Duration waitP95,
        Duration oldestWaitingAge) {

    public QueueInfo {
        Objects.requireNonNull(name, "name");
    }
}
