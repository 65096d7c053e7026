package io.taskdeck.app.timeline;

/**
 * Which part of time (and of the lanes) is on screen: x is time, from seconds to days across.
 * Following keeps the right edge at now; zooming or panning into the past stops following.
 * Pure arithmetic, no JavaFX.
 */
public final class Viewport {

    /** The narrowest view: one second across. */
    public static final double MIN_SPAN_MS = 1_000;
    /** The widest view: seven days across. */
    public static final double MAX_SPAN_MS = 7 * 24 * 3_600_000.0;
    /** While following, now sits this share of the width from the right edge. */
    static final double FOLLOW_MARGIN = 0.04;

    private double width = 800;
    private double height = 400;
    private double msPerPx = 60_000 / 800.0;
    private double start;
    private double scrollY;
    private boolean follow = true;

    /** A view of the last {@code spanMs}, following now. */
    public Viewport(double spanMs, long now) {
        msPerPx = clampSpan(spanMs) / width;
        followTo(now);
    }

    public double width() {
        return width;
    }

    public double height() {
        return height;
    }

    /** Sets the drawing area's size (of the time axis part); keeps the left edge, or now when following. */
    public void resize(double w, double h, long now) {
        double span = spanMs();
        width = Math.max(1, w);
        height = Math.max(1, h);
        msPerPx = clampSpan(span) / width;
        if (follow) {
            followTo(now);
        }
    }

    public boolean following() {
        return follow;
    }

    /** Starts or stops following now at the right edge. */
    public void setFollowing(boolean on, long now) {
        follow = on;
        if (on) {
            followTo(now);
        }
    }

    /** Moves the view with time while following; call once per frame. */
    public void tick(long now) {
        if (follow) {
            followTo(now);
        }
    }

    private void followTo(long now) {
        start = now - spanMs() * (1 - FOLLOW_MARGIN);
    }

    public long startMs() {
        return (long) Math.floor(start);
    }

    public long endMs() {
        return (long) Math.ceil(start + spanMs());
    }

    public double spanMs() {
        return msPerPx * width;
    }

    public double msPerPx() {
        return msPerPx;
    }

    public double x(long t) {
        return (t - start) / msPerPx;
    }

    public long time(double x) {
        return Math.round(start + x * msPerPx);
    }

    /**
     * Zooms by {@code factor} (below 1 zooms in) keeping the time under {@code anchorX} in place;
     * following keeps now at the right edge instead.
     */
    public void zoom(double factor, double anchorX, long now) {
        double anchorT = start + anchorX * msPerPx;
        msPerPx = clampSpan(spanMs() * factor) / width;
        if (follow) {
            followTo(now);
        } else {
            start = anchorT - anchorX * msPerPx;
        }
    }

    /** Shows exactly [from, to) and stops following. */
    public void show(long from, long to) {
        msPerPx = clampSpan(Math.max(1, to - from)) / width;
        start = from + ((to - from) - spanMs()) / 2.0;
        follow = false;
    }

    /**
     * Moves the view by {@code dx} pixels of time (positive shows later times) and {@code dy}
     * pixels of lanes; moving in time stops following, unless it lands on now again.
     */
    public void pan(double dx, double dy, double contentHeight, long now) {
        if (dx != 0) {
            start += dx * msPerPx;
            double latest = now - spanMs() * (1 - FOLLOW_MARGIN);
            if (start >= latest) {
                start = latest;
                follow = true;
            } else {
                follow = false;
            }
        }
        scrollY = clampScroll(scrollY + dy, contentHeight);
    }

    public double scrollY() {
        return scrollY;
    }

    /** Keeps the vertical scroll within the lanes after they changed height. */
    public void clampScrollTo(double contentHeight) {
        scrollY = clampScroll(scrollY, contentHeight);
    }

    private double clampScroll(double y, double contentHeight) {
        return Math.max(0, Math.min(y, Math.max(0, contentHeight - height)));
    }

    private static double clampSpan(double spanMs) {
        return Math.max(MIN_SPAN_MS, Math.min(MAX_SPAN_MS, spanMs));
    }
}
