package io.taskdeck.app.timeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A queue's lane: its rows, each holding runs that do not overlap, in start order; and the
 * queue's concurrency limit over time.
 *
 * <p>Rows are assigned greedily: a run that starts takes the first row of its group that is free
 * at its start. In slot mode every run of the queue is in one group, so the rows are the slots
 * in use; in key mode each concurrency key is a group of its own (runs without a key share one).
 */
public final class Lane {

    /** A change of the queue's limit, as seen in the journal; {@code limit} null for unlimited. */
    public record LimitChange(long at, Integer limit, String text) {
    }

    /** One row of the lane. */
    public static final class Row {
        int index;
        final String group;
        /** Runs in start order, none overlapping. */
        final ArrayList<TimelineRun> runs = new ArrayList<>();

        Row(String group) {
            this.group = group;
        }

        public int index() {
            return index;
        }

        /** The concurrency key of a key-mode row; null in slot mode and for runs without a key. */
        public String group() {
            return group;
        }

        public List<TimelineRun> runs() {
            return Collections.unmodifiableList(runs);
        }

        boolean freeAt(long t) {
            if (runs.isEmpty()) {
                return true;
            }
            TimelineRun last = runs.get(runs.size() - 1);
            return last.endAt != Segment.OPEN && last.endAt <= t;
        }

        /** Where a run goes to keep the row in start order without overlaps, or -1 when it does not fit. */
        int insertionPoint(TimelineRun run) {
            long start = run.slotStart;
            int at = firstEndingAfter(start);
            if (at < runs.size()) {
                TimelineRun next = runs.get(at);
                if (run.endAt == Segment.OPEN || next.slotStart < run.endAt) {
                    return -1;
                }
            }
            return at;
        }

        /** Index of the first run that may end after {@code t} (runs do not overlap, so ends ascend). */
        int firstEndingAfter(long t) {
            int lo = 0;
            int hi = runs.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                long end = runs.get(mid).endAt;
                if (end <= t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    private final String queue;
    final List<Row> rows = new ArrayList<>();
    private final Map<String, List<Row>> groups = new LinkedHashMap<>();
    final List<LimitChange> limitChanges = new ArrayList<>();
    Integer limit;
    boolean paused;
    boolean layoutStale;

    Lane(String queue) {
        this.queue = queue;
    }

    public String queue() {
        return queue;
    }

    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The limit in force now, null for unlimited or not known. */
    public Integer limit() {
        return limit;
    }

    public boolean paused() {
        return paused;
    }

    /** Changes seen while the console watched, oldest first. */
    public List<LimitChange> limitChanges() {
        return Collections.unmodifiableList(limitChanges);
    }

    /** The limit in force at {@code t}: the last change before it, else the limit known before any change. */
    public Integer limitAt(long t) {
        for (int i = limitChanges.size() - 1; i >= 0; i--) {
            if (limitChanges.get(i).at() <= t) {
                return limitChanges.get(i).limit();
            }
        }
        return initialLimit;
    }

    /** The limit before the first change seen (the limit the console loaded). */
    Integer initialLimit;

    void place(TimelineRun run, String group) {
        List<Row> candidates = groups.computeIfAbsent(group, g -> new ArrayList<>());
        Row target = null;
        for (Row r : candidates) {
            if (r.freeAt(run.slotStart)) {
                target = r;
                break;
            }
        }
        if (target == null) {
            target = new Row(group);
            candidates.add(target);
            addRowInGroupOrder(target);
        }
        target.runs.add(run);
        run.row = target;
        run.lane = this;
    }

    /**
     * Moves a placed run to the first row of {@code group} where it fits between the runs there
     * (its key became known after it started).
     *
     * @return false when the run is not placed here: lay the lane out again instead
     */
    boolean move(TimelineRun run, String group) {
        Row from = run.row;
        if (from == null || run.lane != this || !from.runs.remove(run)) {
            return false;
        }
        run.row = null;
        if (from.runs.isEmpty()) {
            removeRow(from);
        }
        List<Row> candidates = groups.computeIfAbsent(group, g -> new ArrayList<>());
        for (Row r : candidates) {
            int at = r.insertionPoint(run);
            if (at >= 0) {
                r.runs.add(at, run);
                run.row = r;
                return true;
            }
        }
        Row target = new Row(group);
        candidates.add(target);
        addRowInGroupOrder(target);
        target.runs.add(run);
        run.row = target;
        return true;
    }

    private void removeRow(Row row) {
        List<Row> ofGroup = groups.get(row.group);
        if (ofGroup != null) {
            ofGroup.remove(row);
        }
        rows.remove(row.index);
        for (int i = row.index; i < rows.size(); i++) {
            rows.get(i).index = i;
        }
    }

    private void addRowInGroupOrder(Row row) {
        // Rows of a group stay together: insert after the group's last row, or at the end.
        int at = rows.size();
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (java.util.Objects.equals(rows.get(i).group, row.group)) {
                at = i + 1;
                break;
            }
        }
        rows.add(at, row);
        for (int i = at; i < rows.size(); i++) {
            rows.get(i).index = i;
        }
    }

    /** Places every started run again, in start order; {@code groupOf} gives a run's group. */
    void relayout(List<TimelineRun> runs, java.util.function.Function<TimelineRun, String> groupOf) {
        rows.clear();
        groups.clear();
        List<TimelineRun> started = new ArrayList<>();
        for (TimelineRun r : runs) {
            r.row = null;
            if (r.hasStarted()) {
                started.add(r);
            }
        }
        started.sort(Comparator.comparingLong((TimelineRun r) -> r.slotStart).thenComparing(r -> r.id));
        for (TimelineRun r : started) {
            place(r, groupOf.apply(r));
        }
        layoutStale = false;
    }
}
