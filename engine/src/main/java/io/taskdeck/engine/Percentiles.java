package io.taskdeck.engine;

import java.util.Arrays;

/** p50 / p95 / p99 of a set of durations in milliseconds (nearest-rank); all 0 when empty. */
public record Percentiles(long count, long p50, long p95, long p99, long max) {

    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0);

    public static Percentiles of(long[] values) {
        if (values.length == 0) {
            return EMPTY;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
