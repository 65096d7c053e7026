package io.taskdeck.app.timeline;

import javafx.scene.paint.Color;

/**
 * The timeline's colours, one set per theme (a Canvas cannot use CSS). Bars follow the status
 * tones of the rest of the console: green done, red failed, blue running, amber retrying.
 */
public record TimelinePalette(
        Color background, Color laneBackground, Color header, Color text, Color mutedText, Color grid,
        Color now, Color limit, Color overLimit, Color selection, Color hover,
        Color queued, Color delayed, Color running, Color completed, Color retried, Color failed,
        Color canceled, Color backoff, Color waiting, Color load, Color loadViewport) {

    public static TimelinePalette light() {
        return new TimelinePalette(
                Color.web("#ffffff"), Color.web("#f6f8fa"), Color.web("#eaeef2"), Color.web("#1f2328"),
                Color.web("#656d76"), Color.web("#d0d7de"),
                Color.web("#0969da"), Color.web("#bc4c00"), Color.web("#fff1e5"), Color.web("#1f2328"),
                Color.web("#0969da"),
                Color.web("#8c959f"), Color.web("#c4b5fd"), Color.web("#218bff"), Color.web("#2da44e"),
                Color.web("#fb8f44"), Color.web("#cf222e"),
                Color.web("#afb8c1"), Color.web("#d4a72c"), Color.web("#8250df"), Color.web("#54aeff"),
                Color.web("#0969da", 0.15));
    }

    public static TimelinePalette dark() {
        return new TimelinePalette(
                Color.web("#0d1117"), Color.web("#161b22"), Color.web("#21262d"), Color.web("#e6edf3"),
                Color.web("#8d96a0"), Color.web("#30363d"),
                Color.web("#58a6ff"), Color.web("#f0883e"), Color.web("#3d2a1a"), Color.web("#ffffff"),
                Color.web("#58a6ff"),
                Color.web("#6e7681"), Color.web("#8957e5"), Color.web("#388bfd"), Color.web("#3fb950"),
                Color.web("#f0883e"), Color.web("#f85149"),
                Color.web("#484f58"), Color.web("#d29922"), Color.web("#a371f7"), Color.web("#1f6feb"),
                Color.web("#58a6ff", 0.18));
    }
}
