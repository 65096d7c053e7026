package io.taskdeck.app.runs;

import java.time.Duration;
import java.time.Instant;

/** The time filter of the runs view: created within the last ... */
public enum TimeRange {
    ANY("Any time", null),
    LAST_15_MINUTES("Last 15 minutes", Duration.ofMinutes(15)),
    LAST_HOUR("Last hour", Duration.ofHours(1)),
    LAST_24_HOURS("Last 24 hours", Duration.ofHours(24)),
    LAST_7_DAYS("Last 7 days", Duration.ofDays(7));

    private final String label;
    private final Duration span;

    TimeRange(String label, Duration span) {
        this.label = label;
        this.span = span;
    }

    /** The earliest creation time it admits, or null for any. */
    public Instant from(Instant now) {
        return span == null ? null : now.minus(span);
    }

    @Override
    public String toString() {
        return label;
    }
}
