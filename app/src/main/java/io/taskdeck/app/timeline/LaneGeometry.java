package io.taskdeck.app.timeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Where lanes and rows sit vertically (content coordinates, before scrolling), and which run is
 * under a point. A left gutter holds the lane and row labels; time starts right of it.
 */
public final class LaneGeometry {

    public static final double GUTTER = 150;
    public static final double HEADER = 22;
    public static final double ROW = 14;
    public static final double ROW_GAP = 3;
    public static final double LANE_GAP = 10;
    /** How far beside a bar a pointer still hits it, in pixels. */
    static final double HIT_SLOP = 3;

    /** A lane's box: header from {@code top}, rows from {@code rowsTop} to {@code bottom}. */
    public record LaneBox(Lane lane, double top, double rowsTop, double bottom) {
        public double rowTop(int row) {
            return rowsTop + row * (ROW + ROW_GAP);
        }
    }

    private final List<LaneBox> boxes;
    private final double contentHeight;

    public LaneGeometry(List<Lane> lanes, TimelineFilter filter) {
        List<LaneBox> out = new ArrayList<>();
        // Lanes with runs first; queues with nothing to show are a header each, at the end.
        List<Lane> ordered = new ArrayList<>(lanes.size());
        lanes.stream().filter(l -> !l.rows.isEmpty()).forEach(ordered::add);
        lanes.stream().filter(l -> l.rows.isEmpty()).forEach(ordered::add);
        double y = 0;
        for (Lane lane : ordered) {
            if (!filter.showsLane(lane)) {
                continue;
            }
            double rowsTop = y + HEADER;
            double bottom = rowsTop + lane.rows.size() * (ROW + ROW_GAP);
            out.add(new LaneBox(lane, y, rowsTop, bottom));
            y = bottom + (lane.rows.isEmpty() ? 2 : LANE_GAP);
        }
        this.boxes = List.copyOf(out);
        this.contentHeight = y;
    }

    public List<LaneBox> boxes() {
        return boxes;
    }

    public double contentHeight() {
        return contentHeight;
    }

    /** The lane box at a content y, or null (boxes are in y order, so a binary search finds it). */
    public LaneBox laneAt(double contentY) {
        int lo = 0;
        int hi = boxes.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            LaneBox b = boxes.get(mid);
            if (contentY < b.top()) {
                hi = mid - 1;
            } else if (contentY >= b.bottom()) {
                lo = mid + 1;
            } else {
                return b;
            }
        }
        return null;
    }

    /** The y (content coordinates) of a run's row, or NaN when it is not laid out in a shown lane. */
    public double rowTopOf(TimelineRun run) {
        if (run.row == null) {
            return Double.NaN;
        }
        for (LaneBox b : boxes) {
            if (b.lane() == run.lane) {
                return b.rowTop(run.row.index);
            }
        }
        return Double.NaN;
    }

    /**
     * The run drawn under a point, or null.
     *
     * @param x        pixels from the left of the time area
     * @param contentY pixels from the top of the lanes (the canvas y plus the scroll)
     */
    public TimelineRun runAt(double x, double contentY, Viewport viewport, TimelineFilter filter, long now) {
        LaneBox box = laneAt(contentY);
        if (box == null || contentY < box.rowsTop()) {
            return null;
        }
        int rowIndex = (int) ((contentY - box.rowsTop()) / (ROW + ROW_GAP));
        if (rowIndex >= box.lane().rows.size() || contentY - box.rowTop(rowIndex) > ROW) {
            return null;
        }
        Lane.Row row = box.lane().rows.get(rowIndex);
        long t = viewport.time(x);
        long slop = (long) Math.ceil(HIT_SLOP * viewport.msPerPx());
        TimelineRun best = null;
        long bestDistance = Long.MAX_VALUE;
        for (int i = row.firstEndingAfter(t - slop - 1); i < row.runs.size(); i++) {
            TimelineRun r = row.runs.get(i);
            if (r.slotStart > t + slop) {
                break;
            }
            if (!filter.shows(r)) {
                continue;
            }
            long end = r.endAt == Segment.OPEN ? now : r.endAt;
            long distance = t < r.slotStart ? r.slotStart - t : t > end ? t - end : 0;
            if (distance <= slop && distance < bestDistance) {
                best = r;
                bestDistance = distance;
            }
        }
        return best;
    }
}
