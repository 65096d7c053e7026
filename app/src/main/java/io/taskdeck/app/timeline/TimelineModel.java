package io.taskdeck.app.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.client.QueueInfo;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventType;
import io.taskdeck.client.RunStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the timeline shows, without JavaFX: runs built from journal events (live) and from run
 * records (history), laid out in lanes per queue and rows per concurrency slot or key. Bounded:
 * past {@code maxRuns}, finished runs that ended before the retained window are evicted, oldest
 * first; at {@code maxRuns × 1.5} new live runs are not taken in (counted as dropped) until
 * eviction makes room.
 *
 * <p>Not thread-safe: the console changes and reads it on the FX thread.
 */
public final class TimelineModel {

    /** How a lane's rows are formed. */
    public enum RowMode {
        /** One row per concurrency slot in use. */
        SLOTS,
        /** One row per concurrency key (more when a key's limit allows several at once). */
        KEYS
    }

    /** The change text of a queue event: "concurrencyLimit overridden to 5", "… reset to 10". */
    private static final Pattern LIMIT_CHANGE = Pattern.compile("concurrency ?limit \\w+ to (\\d+|null)", Pattern.CASE_INSENSITIVE);

    private final LongSupplier clock;
    private final int maxRuns;
    private final Map<String, TimelineRun> runs = new HashMap<>();
    private final TreeMap<String, Lane> lanes = new TreeMap<>();
    private RowMode rowMode = RowMode.SLOTS;
    private long version;
    private long dropped;
    private long evictedTotal;
    /** Reused by {@link #evict}: one array for the ends of the runs, not one per call. */
    private long[] evictEnds = new long[0];
    private int retryEvictAtSize;
    private long retryEvictAtKeepFrom = Long.MIN_VALUE;

    /**
     * @param clock   epoch millis now (a controllable clock in tests)
     * @param maxRuns how many runs to retain before evicting
     */
    public TimelineModel(LongSupplier clock, int maxRuns) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxRuns < 1) {
            throw new IllegalArgumentException("maxRuns must be at least 1, was " + maxRuns);
        }
        this.maxRuns = maxRuns;
    }

    public long now() {
        return clock.getAsLong();
    }

    /** Bumped by every change: a renderer redraws when it moved. */
    public long version() {
        return version;
    }

    public int size() {
        return runs.size();
    }

    public int maxRuns() {
        return maxRuns;
    }

    /** Live runs not taken in because the model was full. */
    public long dropped() {
        return dropped;
    }

    public long evictedTotal() {
        return evictedTotal;
    }

    public TimelineRun run(String id) {
        return runs.get(id);
    }

    public Collection<TimelineRun> runs() {
        return Collections.unmodifiableCollection(runs.values());
    }

    public RowMode rowMode() {
        return rowMode;
    }

    public void setRowMode(RowMode mode) {
        if (mode != rowMode) {
            rowMode = Objects.requireNonNull(mode, "mode");
            lanes.values().forEach(l -> l.layoutStale = true);
            version++;
        }
    }

    /** The lanes by queue name, each laid out. */
    public List<Lane> lanes() {
        Map<Lane, List<TimelineRun>> stale = null;
        for (Lane lane : lanes.values()) {
            if (lane.layoutStale) {
                stale = stale == null ? new HashMap<>() : stale;
                stale.put(lane, new ArrayList<>());
            }
        }
        if (stale != null) {
            // One pass over the runs for every stale lane, not one per lane.
            for (TimelineRun r : runs.values()) {
                List<TimelineRun> of = stale.get(r.lane);
                if (of != null) {
                    of.add(r);
                }
            }
            stale.forEach((lane, of) -> lane.relayout(of, this::groupOf));
        }
        return List.copyOf(lanes.values());
    }

    public Lane lane(String queue) {
        return lanes.get(queue);
    }

    /** Forgets every run (a resync, another connection); lanes and limits stay. */
    public void clear() {
        runs.clear();
        for (Lane lane : lanes.values()) {
            lane.rows.clear();
            lane.layoutStale = true;
        }
        retryEvictAtSize = 0;
        retryEvictAtKeepFrom = Long.MIN_VALUE;
        version++;
    }

    private String groupOf(TimelineRun run) {
        return rowMode == RowMode.SLOTS ? null : run.concurrencyKey;
    }

    private Lane laneOf(String queue) {
        return lanes.computeIfAbsent(queue == null ? "" : queue, Lane::new);
    }

    // --- live events ------------------------------------------------------------------------------

    public void applyAll(List<RunEvent> events) {
        for (RunEvent e : events) {
            apply(e);
        }
    }

    /** Applies one journal event: a run's segments change, or a queue's limit. */
    public void apply(RunEvent e) {
        if (e.isQueueEvent()) {
            applyQueueEvent(e);
            return;
        }
        if (e.runId() == null || e.runId().isEmpty() || e.status() == null) {
            return;
        }
        long at = e.at() == null ? now() : e.at().toEpochMilli();
        TimelineRun run = runs.get(e.runId());
        if (run == null) {
            if (runs.size() >= maxRuns + maxRuns / 2) {
                dropped++;
                return;
            }
            run = new TimelineRun(e.runId());
            run.taskId = e.taskId();
            run.queue = e.queue();
            run.createdAt = at;
            run.status = e.status();
            runs.put(run.id, run);
            run.lane = laneOf(run.queue);
            if (e.type() != RunEventType.TRIGGERED) {
                // Seen mid-life: what came before is unknown until its record is loaded.
                run.coarse = true;
                run.open(e.status() == RunStatus.DELAYED ? SegmentKind.DELAYED : SegmentKind.QUEUED, at, 0);
            }
        }
        if (run.taskId == null) {
            run.taskId = e.taskId();
        }
        int attemptNo = e.attempt() == null ? run.attempt : e.attempt();
        switch (e.type()) {
            case TRIGGERED -> {
                if (run.segmentCount() == 0) {
                    run.open(e.status() == RunStatus.DELAYED ? SegmentKind.DELAYED : SegmentKind.QUEUED, at, 0);
                }
            }
            case REQUEUED -> {
                run.closeAt(at, null);
                String queue = text(e.details(), "queue");
                if (queue != null && !queue.equals(run.queue)) {
                    moveToQueue(run, queue);
                }
                run.endAt = Segment.OPEN;
                run.open(SegmentKind.QUEUED, at, attemptNo);
                run.row = null;
                run.lane.layoutStale = true;
            }
            case RETRY_SCHEDULED -> {
                run.closeAt(at, RunStatus.FAILED);
                Instant retryAt = instant(e.details(), "retryAt");
                long due = retryAt == null ? at : Math.max(at, retryAt.toEpochMilli());
                if (due > at) {
                    run.addClosed(SegmentKind.BACKOFF, at, due, attemptNo, null);
                }
                run.open(SegmentKind.QUEUED, due, attemptNo);
            }
            case ATTEMPT_FAILED -> {
                if (run.current() == SegmentKind.EXECUTING && run.lastIsOpen()) {
                    run.closeAt(at, RunStatus.FAILED);
                }
            }
            case ATTEMPT_STARTED -> startAttempt(run, at, attemptNo);
            case STATUS_CHANGED -> statusChanged(run, e.status(), at, attemptNo);
            default -> { }
        }
        run.status = e.status();
        version++;
    }

    private void statusChanged(TimelineRun run, RunStatus to, long at, int attemptNo) {
        switch (to) {
            case EXECUTING -> startAttempt(run, at, attemptNo);
            case WAITING -> {
                run.closeAt(at, RunStatus.WAITING);
                run.open(SegmentKind.WAITING, at, run.attempt);
            }
            case QUEUED -> {
                // From DELAYED, or back from EXECUTING without a retry plan: the lease was lost.
                run.closeAt(at, RunStatus.CRASHED);
                run.open(SegmentKind.QUEUED, at, run.attempt);
            }
            case DELAYED -> {
                run.closeAt(at, null);
                run.open(SegmentKind.DELAYED, at, run.attempt);
            }
            default -> {
                if (to.isFinal()) {
                    run.closeAt(at, to);
                    run.endAt = Math.max(at, run.slotStart == Segment.OPEN ? at : run.slotStart);
                }
            }
        }
    }

    private void startAttempt(TimelineRun run, long at, int attemptNo) {
        if (run.current() == SegmentKind.EXECUTING && run.lastIsOpen()) {
            return; // ATTEMPT_STARTED and STATUS_CHANGED(EXECUTING) for the same start
        }
        run.closeAt(at, null);
        run.attempt = Math.max(attemptNo, 1);
        run.attemptCount = Math.max(run.attemptCount, run.attempt);
        run.open(SegmentKind.EXECUTING, at, run.attempt);
        if (run.slotStart == Segment.OPEN) {
            run.slotStart = at;
            place(run);
        }
    }

    private void place(TimelineRun run) {
        Lane lane = run.lane;
        if (!lane.layoutStale) {
            lane.place(run, groupOf(run));
        }
    }

    private void moveToQueue(TimelineRun run, String queue) {
        if (run.row != null) {
            run.row.runs.remove(run);
            run.row = null;
        }
        run.lane.layoutStale = true;
        run.queue = queue;
        run.lane = laneOf(queue);
        run.lane.layoutStale = true;
    }

    private void applyQueueEvent(RunEvent e) {
        JsonNode details = e.details();
        String queue = text(details, "queue");
        String change = text(details, "change");
        if (queue == null || change == null) {
            queue = queue == null ? e.queue() : queue;
            if (queue == null || change == null) {
                return;
            }
        }
        Lane lane = laneOf(queue);
        long at = e.at() == null ? now() : e.at().toEpochMilli();
        Matcher m = LIMIT_CHANGE.matcher(change);
        if (m.find()) {
            Integer limit = m.group(1).equals("null") ? null : Integer.valueOf(m.group(1));
            if (lane.limitChanges.isEmpty()) {
                lane.initialLimit = lane.limit;
            }
            lane.limitChanges.add(new Lane.LimitChange(at, limit, change));
            lane.limit = limit;
        } else if (change.equals("paused") || change.equals("resumed")) {
            lane.paused = change.equals("paused");
        }
        version++;
    }

    /** The queue's figures as the server reports them now: its limit and paused flag. */
    public void updateQueue(QueueInfo queue) {
        Lane lane = laneOf(queue.name());
        if (lane.limitChanges.isEmpty()) {
            lane.initialLimit = queue.concurrencyLimit();
        }
        if (!Objects.equals(lane.limit, queue.concurrencyLimit()) || lane.paused != queue.paused()) {
            lane.limit = queue.concurrencyLimit();
            lane.paused = queue.paused();
            version++;
        }
    }

    // --- history ----------------------------------------------------------------------------------

    /**
     * Takes in a run record (history, or the look-up of a live run's key and tags). A run known
     * from events keeps its segments and gains what events do not carry; an unknown run is drawn
     * from its record, one span for all its attempts.
     *
     * @return true when the run was new
     */
    public boolean merge(Run record) {
        TimelineRun run = runs.get(record.id());
        if (run != null) {
            boolean keyChanged = !Objects.equals(run.concurrencyKey, record.concurrencyKey());
            run.concurrencyKey = record.concurrencyKey();
            run.tags = record.tags();
            run.taskId = record.taskId();
            run.attemptCount = Math.max(run.attemptCount, record.attemptCount());
            if (record.createdAt() != null && record.createdAt().toEpochMilli() < run.createdAt) {
                run.createdAt = record.createdAt().toEpochMilli();
            }
            if (keyChanged && rowMode == RowMode.KEYS && run.hasStarted() && !run.lane.layoutStale) {
                // The look-up of a live run's key: move that run alone, not the whole lane (a full
                // re-layout each tick stalled the frames in key mode).
                if (!run.lane.move(run, run.concurrencyKey)) {
                    run.lane.layoutStale = true;
                }
            }
            version++;
            return false;
        }
        run = new TimelineRun(record.id());
        run.taskId = record.taskId();
        run.queue = record.queue();
        run.concurrencyKey = record.concurrencyKey();
        run.tags = record.tags();
        run.status = record.status();
        run.attemptCount = record.attemptCount();
        run.attempt = record.attemptCount();
        run.coarse = true;
        shapeFromRecord(run, record);
        runs.put(run.id, run);
        run.lane = laneOf(run.queue);
        if (run.hasStarted()) {
            // Older than what is laid out: lay the lane out again in start order.
            run.lane.layoutStale = true;
        }
        version++;
        return true;
    }

    private static void shapeFromRecord(TimelineRun run, Run r) {
        long created = millis(r.createdAt(), 0);
        run.createdAt = created;
        long waitFrom = created;
        if (r.delayUntil() != null && r.delayUntil().toEpochMilli() > created) {
            long due = r.delayUntil().toEpochMilli();
            if (r.status() == RunStatus.DELAYED) {
                run.open(SegmentKind.DELAYED, created, 0);
                return;
            }
            run.addClosed(SegmentKind.DELAYED, created, due, 0, null);
            waitFrom = due;
        }
        boolean fin = r.status().isFinal();
        long finished = millis(r.finishedAt(), Segment.OPEN);
        if (r.startedAt() != null) {
            long started = r.startedAt().toEpochMilli();
            if (started > waitFrom) {
                run.addClosed(SegmentKind.QUEUED, waitFrom, started, 0, null);
            }
            run.slotStart = started;
            if (fin) {
                long end = finished == Segment.OPEN ? started : finished;
                run.addClosed(SegmentKind.EXECUTING, started, end, r.attemptCount(), r.status());
                run.endAt = Math.max(started, end);
            } else if (r.status() == RunStatus.EXECUTING) {
                run.open(SegmentKind.EXECUTING, started, r.attemptCount());
            } else {
                // Between attempts or waiting on children: when the last attempt ended is not in a
                // record; its events tell (see replaceFromEvents).
                run.open(r.status() == RunStatus.WAITING ? SegmentKind.WAITING : SegmentKind.QUEUED,
                        started, r.attemptCount());
            }
        } else if (fin) {
            long end = finished == Segment.OPEN ? waitFrom : finished;
            if (end > waitFrom) {
                run.addClosed(SegmentKind.QUEUED, waitFrom, end, 0, null);
            }
            run.endAt = Math.max(waitFrom, end);
        } else {
            run.open(SegmentKind.QUEUED, waitFrom, 0);
        }
    }

    /**
     * Draws a run exactly from its full event history (from its detail), replacing a shape that
     * came from its record.
     */
    public void replaceFromEvents(Run record, List<RunEvent> events) {
        TimelineRun old = runs.remove(record.id());
        if (old != null && old.row != null) {
            old.row.runs.remove(old);
            old.lane.layoutStale = true;
        }
        for (RunEvent e : events) {
            apply(e);
        }
        TimelineRun run = runs.get(record.id());
        if (run == null) {
            if (old != null) {
                runs.put(old.id, old);
            }
            return;
        }
        run.coarse = false;
        run.concurrencyKey = record.concurrencyKey();
        run.tags = record.tags();
        run.lane.layoutStale = true;
        version++;
    }

    // --- bounds -----------------------------------------------------------------------------------

    /**
     * Evicts finished runs that ended before {@code keepFrom}, oldest end first, until the model
     * is back under 90% of {@code maxRuns}; does nothing while under {@code maxRuns}.
     *
     * @return how many runs were evicted
     */
    public int evict(long keepFrom) {
        if (runs.size() <= maxRuns) {
            return 0;
        }
        // When the retained window itself holds more than the bound (a fast queue, a wide view), an
        // attempt frees little and the next tick would scan every run again: wait until a second
        // has left the window or the model grew by a hundredth of its bound.
        if (runs.size() < retryEvictAtSize && keepFrom < retryEvictAtKeepFrom) {
            return 0;
        }
        int target = runs.size() - (int) (maxRuns * 0.9);
        if (evictEnds.length < runs.size()) {
            evictEnds = new long[runs.size() + runs.size() / 4];
        }
        long[] ends = evictEnds;
        int n = 0;
        for (TimelineRun r : runs.values()) {
            if (r.endAt != Segment.OPEN && r.endAt < keepFrom) {
                ends[n++] = r.endAt;
            }
        }
        if (n < target) {
            retryEvictAtSize = runs.size() + Math.max(1, maxRuns / 100);
            retryEvictAtKeepFrom = keepFrom + 1_000;
        } else {
            retryEvictAtSize = 0;
            retryEvictAtKeepFrom = Long.MIN_VALUE;
        }
        if (n == 0) {
            return 0;
        }
        long cutoff;
        if (n <= target) {
            cutoff = Long.MAX_VALUE; // every finished run outside the window goes: no need to sort
        } else {
            Arrays.sort(ends, 0, n);
            cutoff = ends[target - 1];
        }
        int removed = 0;
        var it = runs.values().iterator();
        while (it.hasNext() && removed < target) {
            TimelineRun r = it.next();
            if (r.endAt != Segment.OPEN && r.endAt <= cutoff && r.endAt < keepFrom) {
                r.evicted = true;
                it.remove();
                removed++;
            }
        }
        for (Lane lane : lanes.values()) {
            for (Lane.Row row : lane.rows) {
                row.runs.removeIf(r -> r.evicted);
            }
            while (!lane.rows.isEmpty() && lane.rows.get(lane.rows.size() - 1).runs.isEmpty()) {
                lane.rows.remove(lane.rows.size() - 1);
                lane.layoutStale |= rowMode == RowMode.KEYS;
            }
        }
        evictedTotal += removed;
        version++;
        return removed;
    }

    /** The earliest time any retained run covers, or now when empty. */
    public long earliest() {
        long min = now();
        for (TimelineRun r : runs.values()) {
            min = Math.min(min, r.drawStart());
        }
        return min;
    }

    /**
     * Load over time for the overview strip: per bucket of [from, to), the average number of runs
     * executing.
     */
    public double[] load(long from, long to, int buckets) {
        double[] out = new double[Math.max(1, buckets)];
        if (to <= from) {
            return out;
        }
        double bucketMs = (double) (to - from) / out.length;
        long now = now();
        for (TimelineRun r : runs.values()) {
            for (int i = 0; i < r.segmentCount(); i++) {
                if (r.kind(i) != SegmentKind.EXECUTING) {
                    continue;
                }
                long s = Math.max(from, r.start(i));
                long e = Math.min(to, r.end(i) == Segment.OPEN ? now : r.end(i));
                if (e <= s) {
                    continue;
                }
                int b0 = (int) ((s - from) / bucketMs);
                int b1 = Math.min(out.length - 1, (int) ((e - 1 - from) / bucketMs));
                for (int b = b0; b <= b1; b++) {
                    double bs = from + b * bucketMs;
                    double overlap = Math.min(e, bs + bucketMs) - Math.max(s, bs);
                    out[b] += overlap / bucketMs;
                }
            }
        }
        return out;
    }

    /** Runs intersecting [from, to), in no particular order (for tests and the benchmark). */
    public List<TimelineRun> runsBetween(long from, long to) {
        List<TimelineRun> out = new ArrayList<>();
        long now = now();
        for (TimelineRun r : runs.values()) {
            long end = r.endAt == Segment.OPEN ? now : r.endAt;
            if (r.drawStart() < to && end >= from) {
                out.add(r);
            }
        }
        return out;
    }

    private static long millis(Instant i, long orElse) {
        return i == null ? orElse : i.toEpochMilli();
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String s = text(node, field);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException ex) {
            return null;
        }
    }
}
