package io.taskdeck.bench;

import java.util.Arrays;
import java.util.Locale;

/** Prints figures as {@code <name> <value> <unit>}, one per line, the format bench/run promises. */
final class Figures {

    private Figures() {
    }

    /** Appended to every figure's name when set ({@code -Dbench.tag=parallel_gc}): which run printed it. */
    private static final String TAG = System.getProperty("bench.tag", "");

    /** A figure's name as printed: with the run's tag, if any. */
    static String named(String name) {
        return TAG.isEmpty() ? name : name + "." + TAG;
    }

    static void print(String name, double value, String unit) {
        name = named(name);
        String text = value >= 100 || value == Math.rint(value)
                ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.3f", value);
        System.out.println(name + " " + text + " " + unit);
        System.out.flush();
    }

    /** The value at quantile q (0..1) of the first {@code count} samples, which get sorted. */
    static long quantile(long[] samples, int count, double q) {
        if (count == 0) {
            return 0;
        }
        Arrays.sort(samples, 0, count);
        int index = (int) Math.ceil(q * count) - 1;
        return samples[Math.max(0, Math.min(count - 1, index))];
    }

    /**
     * Prints every round of a figure on a comment line ({@code # <name> rounds: ...}), in the
     * order they ran, and returns their median.
     */
    static double medianOfRounds(String name, java.util.List<Double> rounds) {
        System.out.printf("# %s rounds: %s runs/s%n", named(name),
                rounds.stream().map(v -> String.valueOf(Math.round(v))).collect(java.util.stream.Collectors.joining(" ")));
        return median(rounds);
    }

    /** The median of the values (the upper one of the middle two for an even count). */
    static double median(java.util.List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    static double perSecond(long count, long nanos) {
        return count * 1e9 / Math.max(1, nanos);
    }
}
