package io.taskdeck.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many triggers per second, for how long: one phase for a steady rate, several for a spike
 * ("100/s for 10s, then 10000/s for 5s, then 100/s for 10s").
 */
public record LoadProfile(List<Phase> phases) {

    private static final Pattern PHASE = Pattern.compile(
            "\\s*([0-9]+(?:\\.[0-9]+)?)\\s*/\\s*s\\s+for\\s+([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m)\\s*");

    /** A constant rate for a while. */
    public record Phase(double ratePerSecond, Duration duration) {
        public Phase {
            if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
                throw new IllegalArgumentException("rate must be a finite number >= 0 per second, got " + ratePerSecond);
            }
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("a phase must last > 0, got " + duration);
            }
        }

        double triggers() {
            return ratePerSecond * duration.toMillis() / 1000.0;
        }
    }

    public LoadProfile {
        phases = List.copyOf(phases);
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("a load profile needs at least one phase");
        }
    }

    public static LoadProfile steady(double ratePerSecond, Duration duration) {
        return new LoadProfile(List.of(new Phase(ratePerSecond, duration)));
    }

    /** A burst, e.g. {@code spike(10_000, Duration.ofSeconds(5))}: 10,000 triggers/s for 5 s. */
    public static LoadProfile spike(double ratePerSecond, Duration duration) {
        return steady(ratePerSecond, duration);
    }

    /** A base rate, a burst, and the base rate again. */
    public static LoadProfile spike(double baseRate, Duration before, double peakRate, Duration peak, Duration after) {
        return new LoadProfile(List.of(new Phase(baseRate, before), new Phase(peakRate, peak), new Phase(baseRate, after)));
    }

    /** This profile followed by another phase. */
    public LoadProfile then(double ratePerSecond, Duration duration) {
        List<Phase> next = new ArrayList<>(phases);
        next.add(new Phase(ratePerSecond, duration));
        return new LoadProfile(next);
    }

    /**
     * Parses "RATE/s for DURATION" phases separated by commas, DURATION in ms, s or m:
     * {@code "10000/s for 5s"}, {@code "100/s for 30s, 5000/s for 2s, 100/s for 30s"}.
     */
    public static LoadProfile parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("load profile is empty; expected e.g. \"10000/s for 5s\"");
        }
        List<Phase> out = new ArrayList<>();
        for (String part : text.split(",")) {
            Matcher m = PHASE.matcher(part.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("load profile phase \"" + part.trim()
                        + "\" is not RATE/s for DURATION, e.g. \"10000/s for 5s\"");
            }
            double amount = Double.parseDouble(m.group(2));
            long ms = switch (m.group(3)) {
                case "ms" -> (long) amount;
                case "s" -> (long) (amount * 1_000);
                default -> (long) (amount * 60_000);
            };
            out.add(new Phase(Double.parseDouble(m.group(1)), Duration.ofMillis(ms)));
        }
        return new LoadProfile(out);
    }

    public Duration duration() {
        return phases.stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /** How many triggers the whole profile makes. */
    public long totalTriggers() {
        double sum = 0;
        for (Phase p : phases) {
            sum += p.triggers();
        }
        return floor(sum);
    }

    /** How many triggers are due, in total, {@code elapsedMs} after the start. */
    public long dueAt(long elapsedMs) {
        if (elapsedMs <= 0) {
            return 0;
        }
        double sum = 0;
        long phaseStart = 0;
        for (Phase p : phases) {
            long phaseMs = p.duration().toMillis();
            if (elapsedMs >= phaseStart + phaseMs) {
                sum += p.triggers();
            } else {
                sum += p.ratePerSecond() * (elapsedMs - phaseStart) / 1000.0;
                return Math.min(floor(sum), totalTriggers());
            }
            phaseStart += phaseMs;
        }
        return totalTriggers();
    }

    /** The earliest elapsed time at which {@code count} triggers are due; -1 if never. */
    public long elapsedWhenDue(long count) {
        if (count <= 0) {
            return 0;
        }
        if (count > totalTriggers()) {
            return -1;
        }
        double before = 0;
        long phaseStart = 0;
        for (Phase p : phases) {
            long phaseMs = p.duration().toMillis();
            double after = before + p.triggers();
            if (floor(after) >= count && p.ratePerSecond() > 0) {
                long ms = (long) Math.ceil((count - before) * 1000.0 / p.ratePerSecond() - 1e-9);
                // rounding may land a millisecond early; step until the count is really due
                long at = phaseStart + Math.max(0, ms);
                while (dueAt(at) < count) {
                    at++;
                }
                return at;
            }
            before = after;
            phaseStart += phaseMs;
        }
        return -1;
    }

    private static long floor(double x) {
        return (long) Math.floor(x + 1e-9);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Phase p : phases) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(p.ratePerSecond() % 1 == 0 ? String.valueOf((long) p.ratePerSecond()) : String.valueOf(p.ratePerSecond()))
                    .append("/s for ").append(p.duration().toMillis()).append("ms");
        }
        return sb.toString();
    }
}
