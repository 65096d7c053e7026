package io.taskdeck.client;

/**
 * The outcome of a trigger.
 *
 * @param id     the run's id
 * @param cached true when an existing run was returned because of its idempotency key
 */
public record TriggerResult(String id, boolean cached) {
}
