package io.taskdeck.app;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Frame-time arithmetic the console's benches share. A frame is a row of numbers whose column 0
 * is its total time in nanoseconds; the other columns are what the bench measured in it.
 */
public final class FrameStats {

    private FrameStats() {
    }

    /** Milliseconds at quantile {@code p} (0..1] of sorted nanosecond totals. */
    public static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** Time all collectors have spent so far, in milliseconds. */
    public static long gcMillis() {
        long total = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** Column means over the frames at or above quantile {@code p} of the totals (0: all frames). */
    public record Slice(int frames, double[] mean, int framesWithGc) {
    }

    /**
     * The frames whose total is at or above quantile {@code p}, averaged column by column;
     * {@code gcColumn} counts the frames in which a collection ran.
     */
    public static Slice atOrAbove(List<long[]> frames, long[] sortedTotals, double p, int columns, int gcColumn) {
        long threshold = p == 0 ? Long.MIN_VALUE : (long) (pct(sortedTotals, p) * 1e6);
        double[] sum = new double[columns];
        int n = 0;
        int withGc = 0;
        for (long[] f : frames) {
            if (f[0] >= threshold) {
                for (int i = 0; i < columns; i++) {
                    sum[i] += f[i];
                }
                n++;
                withGc += f[gcColumn] > 0 ? 1 : 0;
            }
        }
        for (int i = 0; i < columns; i++) {
            sum[i] /= Math.max(1, n);
        }
        return new Slice(n, sum, withGc);
    }
}
