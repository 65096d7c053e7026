package io.taskdeck.app.queues;

import java.time.Duration;
import java.util.Locale;

/**
 * What a concurrency limit would do to a queue's backlog, before it is applied.
 *
 * <p>With {@code limit} slots and a mean execution time {@code T}, the queue starts runs at most at
 * {@code μ = limit / T} per second. Runs arrive at {@code λ} per second. While there is a backlog
 * {@code B}, it shrinks at {@code μ − λ}: it empties in {@code B / (μ − λ)}, or never when
 * {@code λ ≥ μ}. A run arriving now waits behind the whole backlog, which leaves at {@code μ}:
 * by Little's law ({@code W = L / λ} with {@code L = B} waiting and the queue's throughput
 * {@code μ}) it waits {@code B / μ}.
 *
 * @param outcome          which of the cases below applies
 * @param timeToEmpty      when {@link Outcome#DRAINS}: how long until the backlog is gone; else null
 * @param predictedWait    for a run arriving now, when it can start at all; else null
 * @param startsPerSecond  {@code μ}: how many runs per second the limit lets start (0 when stopped)
 * @param arrivalsPerSecond {@code λ}, as given
 */
public record DrainForecast(Outcome outcome, Duration timeToEmpty, Duration predictedWait,
                            double startsPerSecond, double arrivalsPerSecond) {

    public enum Outcome {
        /** Nothing waits. */
        EMPTY,
        /** The backlog shrinks and empties in {@link #timeToEmpty()}. */
        DRAINS,
        /** Arrivals are at least as fast as the limit lets runs start: the backlog never empties. */
        GROWS,
        /** Paused or a limit of 0: nothing starts. */
        STOPPED,
        /** No run finished recently, so the execution time is unknown. */
        UNKNOWN
    }

    /**
     * @param backlog           runs waiting (QUEUED), ≥ 0
     * @param arrivalsPerSecond runs arriving per second, ≥ 0
     * @param meanExecution     mean execution time of a run, or null when unknown
     * @param limit             the concurrency limit to forecast, or null for unlimited
     * @param paused            whether the queue is paused
     * @throws IllegalArgumentException on a negative backlog, rate, limit or execution time
     */
    public static DrainForecast of(long backlog, double arrivalsPerSecond, Duration meanExecution,
                                   Integer limit, boolean paused) {
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be >= 0, got " + backlog);
        }
        if (!(arrivalsPerSecond >= 0) || Double.isInfinite(arrivalsPerSecond)) {
            throw new IllegalArgumentException("arrivalsPerSecond must be a finite number >= 0, got " + arrivalsPerSecond);
        }
        if (limit != null && limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        if (meanExecution != null && meanExecution.isNegative()) {
            throw new IllegalArgumentException("meanExecution must be >= 0, got " + meanExecution);
        }
        if (paused || (limit != null && limit == 0)) {
            return new DrainForecast(backlog == 0 && arrivalsPerSecond == 0 ? Outcome.EMPTY : Outcome.STOPPED,
                    null, null, 0, arrivalsPerSecond);
        }
        if (backlog == 0) {
            return new DrainForecast(Outcome.EMPTY, Duration.ZERO, Duration.ZERO,
                    starts(limit, meanExecution), arrivalsPerSecond);
        }
        if (limit == null) {
            // Unlimited: every waiting run can start at once.
            return new DrainForecast(Outcome.DRAINS, Duration.ZERO, Duration.ZERO,
                    Double.POSITIVE_INFINITY, arrivalsPerSecond);
        }
        if (meanExecution == null) {
            return new DrainForecast(Outcome.UNKNOWN, null, null, Double.NaN, arrivalsPerSecond);
        }
        double mu = starts(limit, meanExecution);
        Duration wait = seconds(backlog / mu);
        if (arrivalsPerSecond >= mu) {
            return new DrainForecast(Outcome.GROWS, null, wait, mu, arrivalsPerSecond);
        }
        return new DrainForecast(Outcome.DRAINS, seconds(backlog / (mu - arrivalsPerSecond)), wait, mu,
                arrivalsPerSecond);
    }

    private static double starts(Integer limit, Duration meanExecution) {
        if (limit == null) {
            return Double.POSITIVE_INFINITY;
        }
        if (meanExecution == null) {
            return Double.NaN;
        }
        // A zero mean (runs finishing within a clock tick) is as fast as can be measured: 1 ms.
        double seconds = Math.max(meanExecution.toNanos(), 1_000_000) / 1e9;
        return limit / seconds;
    }

    private static Duration seconds(double s) {
        return s >= Long.MAX_VALUE / 1e9 ? Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L)
                : Duration.ofNanos(Math.round(s * 1e9));
    }

    /** One sentence for the operator, e.g. "Backlog of 1,200 empties in about 4 m 00 s; a run arriving now waits about 2 m 00 s." */
    public String describe(long backlog) {
        return switch (outcome) {
            case EMPTY -> "Nothing waits; new runs start at once.";
            case STOPPED -> "Nothing starts at this setting: " + count(backlog) + " waiting, "
                    + rate(arrivalsPerSecond) + " arriving.";
            case UNKNOWN -> "No run of this queue finished in the last minute, so the drain time is unknown.";
            case DRAINS -> Double.isInfinite(startsPerSecond)
                    ? "Unlimited: all " + count(backlog) + " waiting runs can start at once."
                    : "Backlog of " + count(backlog) + " empties in about " + human(timeToEmpty)
                    + "; a run arriving now waits about " + human(predictedWait) + " (starts "
                    + rate(startsPerSecond) + ", arrivals " + rate(arrivalsPerSecond) + ").";
            case GROWS -> "Backlog grows: arrivals (" + rate(arrivalsPerSecond) + ") are at least what this limit starts ("
                    + rate(startsPerSecond) + "); a run arriving now waits about " + human(predictedWait) + ".";
        };
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String rate(double perSecond) {
        return perSecond >= 10 ? String.format(Locale.ROOT, "%.0f/s", perSecond)
                : String.format(Locale.ROOT, "%.1f/s", perSecond);
    }

    /** "850 ms", "12 s", "4 m 05 s", "3 h 20 m", "2 d 4 h". */
    public static String human(Duration d) {
        if (d == null) {
            return "—";
        }
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + " ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3_600) {
            return String.format(Locale.ROOT, "%d m %02d s", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%d h %02d m", s / 3_600, (s % 3_600) / 60);
        }
        return String.format(Locale.ROOT, "%d d %d h", s / 86_400, (s % 86_400) / 3_600);
    }
}
