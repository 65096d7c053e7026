package io.taskdeck.client;

import java.util.List;
import java.util.Objects;

/**
 * Starts a bulk action on exactly one of: a list of run ids, or the runs matching a filter (selected
 * when the action starts).
 *
 * @param ratePerSecond at most this many runs per second, or null for as fast as possible
 * @param requeue       payload / queue changes applied by a {@link BulkActionKind#REQUEUE}; null for none
 */
public record BulkActionRequest(
        BulkActionKind kind,
        List<String> runIds,
        RunFilter filter,
        Double ratePerSecond,
        RequeueOptions requeue) {

    public static final int MAX_RUN_IDS = 10_000;

    public BulkActionRequest {
        Objects.requireNonNull(kind, "kind");
        runIds = runIds == null ? null : List.copyOf(runIds);
        if ((runIds == null) == (filter == null)) {
            throw new IllegalArgumentException("a bulk action needs either runIds or a filter, not both or neither");
        }
        if (runIds != null && (runIds.isEmpty() || runIds.size() > MAX_RUN_IDS)) {
            throw new IllegalArgumentException(
                    "runIds must hold 1 to " + MAX_RUN_IDS + " ids, got " + runIds.size());
        }
        if (ratePerSecond != null && !(ratePerSecond > 0)) {
            throw new IllegalArgumentException("ratePerSecond must be > 0, got " + ratePerSecond);
        }
        if (requeue != null && kind != BulkActionKind.REQUEUE) {
            throw new IllegalArgumentException("requeue options only apply to a requeue, not to " + kind);
        }
    }

    public static BulkActionRequest of(BulkActionKind kind, List<String> runIds) {
        return new BulkActionRequest(kind, runIds, null, null, null);
    }

    public static BulkActionRequest of(BulkActionKind kind, RunFilter filter) {
        return new BulkActionRequest(kind, null, filter, null, null);
    }

    public BulkActionRequest withRatePerSecond(double ratePerSecond) {
        return new BulkActionRequest(kind, runIds, filter, ratePerSecond, requeue);
    }

    public BulkActionRequest withRequeueOptions(RequeueOptions requeue) {
        return new BulkActionRequest(kind, runIds, filter, ratePerSecond, requeue);
    }
}
