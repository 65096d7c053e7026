package io.taskdeck.app.timeline;

import io.taskdeck.client.RunStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Draws the visible part of the timeline onto a canvas: the time axis, lanes with their limit,
 * rows of bars. Only runs that intersect the viewport are visited (rows are searched by time),
 * and bars narrower than a pixel are merged with their neighbours of the same colour, so the
 * cost follows what is on screen, not what the model holds.
 */
public final class TimelineRenderer {

    /** Height of the time axis at the top of the canvas. */
    public static final double AXIS = 24;

    // Bar styles: colour and height class. Dimmed variants (search misses) follow at +STYLES.
    private static final int QUEUED = 0;
    private static final int DELAYED = 1;
    private static final int RUNNING = 2;
    private static final int COMPLETED = 3;
    private static final int RETRIED = 4;
    private static final int FAILED = 5;
    private static final int CANCELED = 6;
    private static final int BACKOFF = 7;
    private static final int WAITING = 8;
    private static final int STYLES = 9;

    private static final long[] TICK_STEPS = {
        1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
        3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 172_800_000};
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DAYS = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);

    private final Font font = Font.font("System", 11);
    private final Font boldFont = Font.font("System", javafx.scene.text.FontWeight.BOLD, 11.5);
    private final ZoneId zone;
    private TimelinePalette palette;
    private Color[] colours;
    /** One for every row of every frame: drawing allocates nothing per bar or row. */
    private final Merger merger = new Merger();

    /** What a frame drew, for the status line and the benchmark. */
    public record FrameStats(int bars, int rects) {
    }

    public TimelineRenderer(TimelinePalette palette, ZoneId zone) {
        this.zone = zone;
        setPalette(palette);
    }

    public void setPalette(TimelinePalette p) {
        this.palette = p;
        Color[] base = {p.queued(), p.delayed(), p.running(), p.completed(), p.retried(), p.failed(),
            p.canceled(), p.backoff(), p.waiting()};
        colours = new Color[STYLES * 2];
        for (int i = 0; i < STYLES; i++) {
            colours[i] = base[i];
            colours[STYLES + i] = base[i].deriveColor(0, 0.5, 1, 0.25);
        }
    }

    public TimelinePalette palette() {
        return palette;
    }

    /**
     * Draws one frame.
     *
     * @param width  the canvas width (gutter included)
     * @param height the canvas height (axis included)
     */
    public FrameStats draw(GraphicsContext gc, double width, double height, LaneGeometry geometry, Viewport vp,
                           TimelineFilter filter, String selectedId, String hoverId, boolean keyMode, long now) {
        gc.setFill(palette.background());
        gc.fillRect(0, 0, width, height);
        double left = LaneGeometry.GUTTER;
        double top = AXIS - vp.scrollY();
        long t0 = vp.startMs();
        long t1 = vp.endMs();
        long tickStep = tickStep(vp.msPerPx());

        // Lane backgrounds and grid lines under the bars.
        for (LaneGeometry.LaneBox box : geometry.boxes()) {
            double y0 = top + box.top();
            double y1 = top + box.bottom();
            if (y1 < AXIS || y0 > height) {
                continue;
            }
            gc.setFill(palette.header());
            gc.fillRect(left, y0, width - left, LaneGeometry.HEADER - 2);
            gc.setFill(palette.laneBackground());
            gc.fillRect(left, top + box.rowsTop(), width - left, box.bottom() - box.rowsTop());
        }
        gc.setStroke(palette.grid());
        gc.setLineWidth(1);
        for (long t = Math.floorDiv(t0, tickStep) * tickStep; t <= t1; t += tickStep) {
            double x = Math.floor(left + vp.x(t)) + 0.5;
            if (x >= left) {
                gc.strokeLine(x, AXIS, x, height);
            }
        }

        int bars = 0;
        Merger m = merger;
        m.begin(gc, left, width);
        TimelineRun selected = null;
        TimelineRun hovered = null;
        double selectedY = Double.NaN;
        double hoveredY = Double.NaN;
        for (LaneGeometry.LaneBox box : geometry.boxes()) {
            if (top + box.bottom() < AXIS || top + box.top() > height) {
                continue;
            }
            Lane lane = box.lane();
            drawLimit(gc, box, lane, vp, top, left, width, keyMode);
            m.fill = null; // the limit set its own fill
            List<Lane.Row> rows = lane.rows;
            int firstRow = Math.max(0, (int) ((AXIS - top - box.rowsTop()) / (LaneGeometry.ROW + LaneGeometry.ROW_GAP)));
            for (int ri = firstRow; ri < rows.size(); ri++) {
                double y = top + box.rowTop(ri);
                if (y > height) {
                    break;
                }
                Lane.Row row = rows.get(ri);
                for (int i = row.firstEndingAfter(t0); i < row.runs.size(); i++) {
                    TimelineRun run = row.runs.get(i);
                    if (run.slotStart > t1) {
                        break;
                    }
                    if (!filter.shows(run)) {
                        continue;
                    }
                    bars++;
                    int dim = filter.searching() && !filter.highlights(run) ? STYLES : 0;
                    drawRun(m, run, vp, y, dim, now, t0, t1);
                    if (run.id.equals(selectedId)) {
                        selected = run;
                        selectedY = y;
                    }
                    if (run.id.equals(hoverId)) {
                        hovered = run;
                        hoveredY = y;
                    }
                }
                m.flush();
            }
        }
        outline(gc, hovered, hoveredY, vp, left, now, palette.hover(), 1);
        outline(gc, selected, selectedY, vp, left, now, palette.selection(), 2);

        // Now.
        double nowX = left + vp.x(now);
        if (nowX >= left && nowX <= width) {
            gc.setStroke(palette.now());
            gc.setLineWidth(1.5);
            gc.strokeLine(nowX, AXIS, nowX, height);
        }
        drawGutter(gc, geometry, top, height, keyMode);
        drawAxis(gc, vp, left, width, tickStep, now);
        return new FrameStats(bars, m.rects);
    }

    private void drawRun(Merger m, TimelineRun run, Viewport vp, double y, int dim, long now, long t0, long t1) {
        int lastExec = -1;
        int n = run.segmentCount();
        for (int i = n - 1; i >= 0; i--) {
            if (run.kind(i) == SegmentKind.EXECUTING) {
                lastExec = i;
                break;
            }
        }
        for (int i = 0; i < n; i++) {
            long s = run.start(i);
            long e = run.end(i) == Segment.OPEN ? now : run.end(i);
            SegmentKind kind = run.kind(i);
            if (e < t0 || s > t1 || s > now && kind == SegmentKind.QUEUED) {
                continue;
            }
            double a = vp.x(Math.max(s, t0 - 1));
            double b = vp.x(Math.min(e, t1 + 1));
            if (b - a < 1 && (kind == SegmentKind.QUEUED || kind == SegmentKind.DELAYED)) {
                // A lead-in thinner than a pixel is hidden under the bar drawn next to it; drawing
                // it would only split that bar from its neighbours (thousands of rects per frame).
                continue;
            }
            m.add(a, b, y, style(run, i, lastExec) + dim);
        }
    }

    private static int style(TimelineRun run, int i, int lastExec) {
        return switch (run.kind(i)) {
            case QUEUED -> QUEUED;
            case DELAYED -> DELAYED;
            case BACKOFF -> BACKOFF;
            case WAITING -> WAITING;
            case EXECUTING -> {
                RunStatus outcome = run.outcome(i);
                if (outcome == null || outcome == RunStatus.WAITING) {
                    yield run.end(i) == Segment.OPEN || outcome == RunStatus.WAITING ? RUNNING : QUEUED;
                }
                if (outcome == RunStatus.COMPLETED) {
                    yield COMPLETED;
                }
                if (outcome == RunStatus.CANCELED || outcome == RunStatus.EXPIRED) {
                    yield CANCELED;
                }
                yield i < lastExec || !run.status().isFinal() ? RETRIED : FAILED;
            }
        };
    }

    /** Bars of a row, left to right, merged when thinner than a pixel and of the same style. */
    private final class Merger {
        private GraphicsContext gc;
        private double left;
        private double right;
        private int style = -1;
        private double x0;
        private double x1;
        private double y;
        private Color fill;
        int rects;

        /** Starts a frame: nothing pending, no fill set yet. */
        void begin(GraphicsContext g, double leftEdge, double rightEdge) {
            gc = g;
            left = leftEdge;
            right = rightEdge;
            style = -1;
            fill = null;
            rects = 0;
        }

        void add(double a, double b, double rowY, int s) {
            double xa = left + a;
            double xb = Math.max(left + b, xa + 1);
            if (s == style && xa <= x1 + 0.5 && rowY == y) {
                x1 = Math.max(x1, xb);
                return;
            }
            flush();
            style = s;
            x0 = xa;
            x1 = xb;
            y = rowY;
        }

        void flush() {
            if (style < 0) {
                return;
            }
            double a = Math.max(left, x0);
            double b = Math.min(right, x1);
            if (b > a) {
                int base = style % STYLES;
                double h = LaneGeometry.ROW;
                double dy = 0;
                if (base == QUEUED || base == DELAYED) {
                    h = 3;
                    dy = LaneGeometry.ROW - 3;
                } else if (base == BACKOFF || base == WAITING) {
                    h = LaneGeometry.ROW * 0.5;
                    dy = LaneGeometry.ROW * 0.25;
                }
                if (fill != colours[style]) {
                    // Each setFill is a command in the canvas buffer: only when the colour changes.
                    fill = colours[style];
                    gc.setFill(fill);
                }
                gc.fillRect(a, y + dy, b - a, h);
                rects++;
            }
            style = -1;
        }
    }

    private void outline(GraphicsContext gc, TimelineRun run, double y, Viewport vp, double left, long now,
                         Color colour, double width) {
        if (run == null) {
            return;
        }
        long end = run.endAt == Segment.OPEN ? now : run.endAt;
        double a = Math.max(left - 2, left + vp.x(run.drawStart()));
        double b = Math.max(a + 2, left + vp.x(end));
        gc.setStroke(colour);
        gc.setLineWidth(width);
        gc.strokeRect(a - 1, y - 1.5, b - a + 2, LaneGeometry.ROW + 3);
    }

    private void drawLimit(GraphicsContext gc, LaneGeometry.LaneBox box, Lane lane, Viewport vp, double top,
                           double left, double width, boolean keyMode) {
        double headerY = top + box.top();
        gc.setTextBaseline(VPos.CENTER);
        gc.setTextAlign(TextAlignment.LEFT);
        gc.setFont(font);
        // Limit changes: a marker in the header at each change.
        for (Lane.LimitChange c : lane.limitChanges) {
            double x = left + vp.x(c.at());
            if (x < left || x > width) {
                continue;
            }
            gc.setFill(palette.limit());
            gc.fillPolygon(new double[]{x - 5, x + 5, x}, new double[]{headerY + 3, headerY + 3, headerY + 10}, 3);
            gc.setStroke(palette.limit());
            gc.setLineWidth(1);
            gc.setLineDashes(3, 3);
            gc.strokeLine(x + 0.5, headerY + 10, x + 0.5, top + box.bottom());
            gc.setLineDashes((double[]) null);
            gc.fillText("limit → " + (c.limit() == null ? "none" : c.limit()), x + 7, headerY + 10);
        }
        if (keyMode) {
            return;
        }
        // Slot mode: rows at or past the limit in force are shaded, the limit a line between rows.
        long t = vp.startMs();
        double x = left;
        int next = 0;
        while (next < lane.limitChanges.size() && lane.limitChanges.get(next).at() <= t) {
            next++;
        }
        while (x < width) {
            Integer limit = lane.limitAt(t);
            long until = next < lane.limitChanges.size() ? lane.limitChanges.get(next).at() : Long.MAX_VALUE;
            double xEnd = until == Long.MAX_VALUE ? width : Math.min(width, left + vp.x(until));
            if (limit != null) {
                double ly = top + box.rowTop(limit) - LaneGeometry.ROW_GAP / 2;
                if (ly < top + box.bottom()) {
                    gc.setFill(palette.overLimit());
                    gc.fillRect(x, ly, xEnd - x, top + box.bottom() - ly);
                }
                gc.setStroke(palette.limit());
                gc.setLineWidth(1.5);
                gc.strokeLine(x, Math.floor(ly) + 0.5, xEnd, Math.floor(ly) + 0.5);
            }
            if (until == Long.MAX_VALUE) {
                break;
            }
            x = xEnd;
            t = until;
            next++;
        }
    }

    private void drawGutter(GraphicsContext gc, LaneGeometry geometry, double top, double height, boolean keyMode) {
        double w = LaneGeometry.GUTTER;
        gc.setFill(palette.background());
        gc.fillRect(0, AXIS, w, height - AXIS);
        gc.setTextBaseline(VPos.CENTER);
        gc.setTextAlign(TextAlignment.LEFT);
        for (LaneGeometry.LaneBox box : geometry.boxes()) {
            double y0 = top + box.top();
            if (top + box.bottom() < AXIS || y0 > height) {
                continue;
            }
            Lane lane = box.lane();
            gc.setFill(palette.header());
            gc.fillRect(0, y0, w, LaneGeometry.HEADER - 2);
            gc.setFill(palette.text());
            gc.setFont(boldFont);
            gc.fillText(clip(lane.queue(), 15), 8, y0 + LaneGeometry.HEADER / 2 - 1);
            gc.setFont(font);
            gc.setFill(palette.mutedText());
            String limit = lane.limit() == null ? "∞" : "≤ " + lane.limit();
            if (lane.paused()) {
                limit = "paused · " + limit;
            }
            gc.setTextAlign(TextAlignment.RIGHT);
            gc.fillText(limit, w - 8, y0 + LaneGeometry.HEADER / 2 - 1);
            gc.setTextAlign(TextAlignment.LEFT);
            String previous = null;
            for (int i = 0; i < lane.rows.size(); i++) {
                double y = top + box.rowTop(i);
                if (y + LaneGeometry.ROW < AXIS || y > height) {
                    continue;
                }
                Lane.Row row = lane.rows.get(i);
                String label = keyMode ? (row.group == null ? "no key" : row.group) : "slot " + (i + 1);
                if (keyMode && label.equals(previous)) {
                    label = "";
                }
                previous = keyMode ? (row.group == null ? "no key" : row.group) : null;
                gc.fillText(clip(label, 22), 16, y + LaneGeometry.ROW / 2);
            }
        }
        gc.setStroke(palette.grid());
        gc.setLineWidth(1);
        gc.strokeLine(w - 0.5, AXIS, w - 0.5, height);
    }

    private void drawAxis(GraphicsContext gc, Viewport vp, double left, double width, long step, long now) {
        gc.setFill(palette.background());
        gc.fillRect(0, 0, width, AXIS);
        gc.setStroke(palette.grid());
        gc.setLineWidth(1);
        gc.strokeLine(0, AXIS - 0.5, width, AXIS - 0.5);
        gc.setFont(font);
        gc.setFill(palette.mutedText());
        gc.setTextBaseline(VPos.CENTER);
        gc.setTextAlign(TextAlignment.LEFT);
        DateTimeFormatter f = step < 60_000 ? SECONDS : step < 86_400_000 ? MINUTES : DAYS;
        boolean days = vp.spanMs() > 86_400_000L;
        for (long t = Math.floorDiv(vp.startMs(), step) * step; t <= vp.endMs(); t += step) {
            double x = left + vp.x(t);
            if (x < left) {
                continue;
            }
            Instant at = Instant.ofEpochMilli(t);
            gc.fillText((days ? DAYS : f).withZone(zone).format(at), x + 3, AXIS / 2);
        }
        gc.setFill(palette.text());
        gc.setFont(boldFont);
        gc.fillText(span(vp.spanMs()) + " across", 8, AXIS / 2);
    }

    /** The grid step: the smallest with at least 90 px between lines. */
    static long tickStep(double msPerPx) {
        for (long step : TICK_STEPS) {
            if (step / msPerPx >= 90) {
                return step;
            }
        }
        return TICK_STEPS[TICK_STEPS.length - 1];
    }

    /** A span for people: "45 s", "12 min", "3 h", "2 d". */
    public static String span(double ms) {
        if (ms < 1_000) {
            return Math.round(ms) + " ms";
        }
        if (ms < 60_000) {
            return trim(ms / 1_000) + " s";
        }
        if (ms < 3_600_000) {
            return trim(ms / 60_000) + " min";
        }
        if (ms < 86_400_000) {
            return trim(ms / 3_600_000) + " h";
        }
        return trim(ms / 86_400_000) + " d";
    }

    private static String trim(double v) {
        return v >= 10 ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v).replace(".0", "");
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** The overview strip: load over the retained time, and where the view is. */
    public void drawOverview(GraphicsContext gc, double width, double height, double[] load, long from, long to,
                             Viewport vp) {
        gc.setFill(palette.laneBackground());
        gc.fillRect(0, 0, width, height);
        double left = LaneGeometry.GUTTER;
        double w = width - left;
        double max = 1;
        for (double v : load) {
            max = Math.max(max, v);
        }
        gc.setFill(palette.load());
        double bw = w / load.length;
        for (int i = 0; i < load.length; i++) {
            double h = (height - 4) * load[i] / max;
            if (h > 0) {
                gc.fillRect(left + i * bw, height - h, Math.max(1, bw - 0.5), h);
            }
        }
        double span = Math.max(1, to - from);
        double va = left + w * (vp.startMs() - from) / span;
        double vb = left + w * (vp.endMs() - from) / span;
        va = Math.max(left, Math.min(width, va));
        vb = Math.max(va + 2, Math.min(width, vb));
        gc.setFill(palette.loadViewport());
        gc.fillRect(va, 0, vb - va, height);
        gc.setStroke(palette.now());
        gc.setLineWidth(1);
        gc.strokeRect(va + 0.5, 0.5, vb - va - 1, height - 1);
        gc.setFill(palette.mutedText());
        gc.setFont(font);
        gc.setTextBaseline(VPos.CENTER);
        gc.setTextAlign(TextAlignment.LEFT);
        gc.fillText("load · peak " + Math.round(max) + " running", 8, height / 2);
    }
}
