package io.taskdeck.engine;

import java.util.List;

/**
 * Requeue many dead letters: the given ids, or every open dead letter matching a filter
 * (fixed when the job starts). {@code ratePerSecond} null means as fast as possible.
 */
public record BulkRequeueRequest(List<String> runIds, RunQuery filter, Integer ratePerSecond, RequeueOptions options) {

    public BulkRequeueRequest {
        if ((runIds == null) == (filter == null)) {
            throw new IllegalArgumentException("a bulk requeue takes either run ids or a filter, not both or neither");
        }
        runIds = runIds == null ? null : List.copyOf(runIds);
        if (ratePerSecond != null && ratePerSecond < 1) {
            throw new IllegalArgumentException("ratePerSecond must be >= 1, got " + ratePerSecond);
        }
        options = options == null ? RequeueOptions.NONE : options;
    }

    public static BulkRequeueRequest ids(List<String> runIds) {
        return new BulkRequeueRequest(runIds, null, null, null);
    }

    public static BulkRequeueRequest matching(RunQuery filter) {
        return new BulkRequeueRequest(null, filter, null, null);
    }

    public BulkRequeueRequest withRatePerSecond(int rate) {
        return new BulkRequeueRequest(runIds, filter, rate, options);
    }
}
