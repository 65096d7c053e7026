package io.taskdeck.engine.store;

import io.taskdeck.engine.Run;

/** One inserted run, or the existing run its live idempotency key points to ({@code cached}). */
public record InsertResult(Run run, boolean cached) {
}
