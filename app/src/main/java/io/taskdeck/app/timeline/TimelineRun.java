package io.taskdeck.app.timeline;

import io.taskdeck.client.RunStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One run as the timeline draws it: who it is, and its segments in time order (compact arrays,
 * since the model holds hundreds of thousands of them). Changed only by {@link TimelineModel},
 * on one thread.
 *
 * <p>On its lane a run occupies a row from its first start ({@link #slotStart()}) to its end;
 * the wait before its first start is drawn as a lead-in on the same row.
 */
public final class TimelineRun {

    private static final RunStatus[] STATUSES = RunStatus.values();
    private static final byte NONE = -1;

    final String id;
    String taskId;
    String queue;
    String concurrencyKey;
    List<String> tags = List.of();
    RunStatus status;
    long createdAt;
    /** Exclusive end of its last segment once final; {@link Segment#OPEN} until then. */
    long endAt = Segment.OPEN;
    /** Start of its first attempt; {@link Segment#OPEN} until it starts. */
    long slotStart = Segment.OPEN;
    int attempt;
    /** Built from a run record (history) rather than from events: attempts are not told apart. */
    boolean coarse;
    int attemptCount;

    // Placement, owned by the model's layout.
    Lane lane;
    Lane.Row row;
    boolean evicted;

    private long[] starts = new long[2];
    private long[] ends = new long[2];
    private byte[] kinds = new byte[2];
    private byte[] outcomes = new byte[2];
    private short[] attempts = new short[2];
    private int count;

    TimelineRun(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public String taskId() {
        return taskId;
    }

    public String queue() {
        return queue;
    }

    /** Null when the run has none, or when it is not known yet (live runs are looked up shortly after). */
    public String concurrencyKey() {
        return concurrencyKey;
    }

    public List<String> tags() {
        return tags;
    }

    public RunStatus status() {
        return status;
    }

    public long createdAt() {
        return createdAt;
    }

    public long endAt() {
        return endAt;
    }

    public boolean isFinished() {
        return endAt != Segment.OPEN;
    }

    public long slotStart() {
        return slotStart;
    }

    public boolean hasStarted() {
        return slotStart != Segment.OPEN;
    }

    public int attempt() {
        return attempt;
    }

    /** True when its shape comes from a run record: the attempts are drawn as one span. */
    public boolean isCoarse() {
        return coarse;
    }

    /** The row it is drawn on, or -1 while it has not started (or is filtered out of the layout). */
    public int rowIndex() {
        return row == null ? -1 : row.index;
    }

    public int segmentCount() {
        return count;
    }

    public SegmentKind kind(int i) {
        return SegmentKind.VALUES[kinds[i]];
    }

    public long start(int i) {
        return starts[i];
    }

    public long end(int i) {
        return ends[i];
    }

    public int attemptOf(int i) {
        return attempts[i];
    }

    /** Null while open and for segments that are not EXECUTING. */
    public RunStatus outcome(int i) {
        return outcomes[i] == NONE ? null : STATUSES[outcomes[i]];
    }

    public List<Segment> segments() {
        List<Segment> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Segment(kind(i), starts[i], ends[i], attempts[i], outcome(i)));
        }
        return out;
    }

    /** Time spent in a kind of segment up to {@code now}. */
    public long totalMs(SegmentKind kind, long now) {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            if (kinds[i] == kind.ordinal()) {
                long end = ends[i] == Segment.OPEN ? now : ends[i];
                sum += Math.max(0, Math.min(end, now) - starts[i]);
            }
        }
        return sum;
    }

    /** Where it is drawn from: its creation (the queue wait as a lead-in) or its first start. */
    long drawStart() {
        return count == 0 ? createdAt : Math.min(createdAt, starts[0]);
    }

    // --- building segments ------------------------------------------------------------------------

    void open(SegmentKind kind, long start, int attemptNo) {
        grow();
        starts[count] = start;
        ends[count] = Segment.OPEN;
        kinds[count] = (byte) kind.ordinal();
        outcomes[count] = NONE;
        attempts[count] = (short) Math.min(attemptNo, Short.MAX_VALUE);
        count++;
    }

    void addClosed(SegmentKind kind, long start, long end, int attemptNo, RunStatus outcome) {
        open(kind, start, attemptNo);
        ends[count - 1] = Math.max(start, end);
        outcomes[count - 1] = outcome == null ? NONE : (byte) outcome.ordinal();
    }

    /**
     * Ends what is going on at {@code at}: segments planned to start later (the queue wait after
     * a backoff) are dropped, the one in progress (or a backoff still running) ends at {@code at}.
     * An EXECUTING segment ended this way gets {@code outcome}.
     */
    void closeAt(long at, RunStatus outcome) {
        while (count > 0 && starts[count - 1] > at) {
            count--;
        }
        if (count == 0) {
            return;
        }
        int last = count - 1;
        if (ends[last] > at) {
            ends[last] = at;
            if (kinds[last] == SegmentKind.EXECUTING.ordinal()) {
                outcomes[last] = outcome == null ? NONE : (byte) outcome.ordinal();
            }
        }
        if (ends[last] <= starts[last] && kinds[last] != SegmentKind.EXECUTING.ordinal()) {
            count--; // an empty wait says nothing
        }
    }

    /** The kind of the segment in progress (open or planned), or null. */
    SegmentKind current() {
        return count == 0 ? null : kind(count - 1);
    }

    boolean lastIsOpen() {
        return count > 0 && ends[count - 1] == Segment.OPEN;
    }

    void clearSegments() {
        count = 0;
    }

    private void grow() {
        if (count == starts.length) {
            int n = count * 2;
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            kinds = Arrays.copyOf(kinds, n);
            outcomes = Arrays.copyOf(outcomes, n);
            attempts = Arrays.copyOf(attempts, n);
        }
    }

    @Override
    public String toString() {
        return id + " " + taskId + " " + status + " " + segments();
    }
}
