package io.taskdeck.engine;

/** The run a trigger recorded, or the existing run its idempotency key pointed to ({@code cached}). */
public record TriggerResult(String runId, boolean cached) {
}
