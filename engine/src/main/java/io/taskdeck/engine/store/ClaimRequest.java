package io.taskdeck.engine.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Claim up to {@code max} due QUEUED runs of these tasks for this node.
 *
 * @param taskIds the tasks this node can run; runs of other tasks are left for other nodes
 * @param max     the node's free slots: a store never returns more
 */
public record ClaimRequest(String nodeId, Set<String> taskIds, int max, Instant now, Instant leaseUntil) {

    public ClaimRequest {
        Objects.requireNonNull(nodeId, "nodeId");
        taskIds = Set.copyOf(taskIds);
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0, got " + max);
        }
    }
}
