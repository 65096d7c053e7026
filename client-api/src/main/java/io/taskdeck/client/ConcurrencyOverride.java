package io.taskdeck.client;

import java.time.Instant;

/**
 * A run-time override of a queue's concurrency limit.
 *
 * @param limit the limit in force
 * @param by    who set it: the API key's name, or {@code "local"} for the embedded console
 * @param at    when it was set
 */
public record ConcurrencyOverride(int limit, String by, Instant at) {
}
