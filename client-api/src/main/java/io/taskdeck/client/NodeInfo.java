package io.taskdeck.client;

import java.time.Instant;

/**
 * An engine node sharing the server's store.
 *
 * @param running runs it is executing now
 */
public record NodeInfo(String id, Instant startedAt, Instant lastHeartbeat, int running) {
}
