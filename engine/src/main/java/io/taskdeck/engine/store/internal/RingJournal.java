package io.taskdeck.engine.store.internal;

import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.RunStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal of a memory store: a ring of the last {@code capacity} events. Sequence numbers
 * are gap-free; event times never go backwards (a late writer's time is raised to the last one),
 * so a time range maps to a seq range by binary search. Not thread-safe: the store's lock guards it.
 *
 * <p>The ring keeps its events as columns (the run id, times and statuses an event refers to),
 * not as one object per event: every run leaves three events here that live far longer than the
 * run's other garbage, and objects that live that long are what the collector copies. Readers get
 * {@link JournalEvent}s made as they read.
 */
public final class RingJournal {

    private static final RunStatus[] STATUSES = RunStatus.values();
    private static final JournalEvent.Kind[] KINDS = JournalEvent.Kind.values();
    private static final byte NONE = -1;

    private final int capacity;
    private final Instant[] at;
    private final byte[] kind;
    private final String[] runId;
    private final String[] taskId;
    private final String[] queue;
    private final byte[] from;
    private final byte[] to;
    private final int[] attempt;
    private final String[] detail;
    private long lastSeq;
    private long lastAt = Long.MIN_VALUE;
    private Instant lastAtInstant;
    private int size;

    public RingJournal(int capacity) {
        this.capacity = capacity;
        this.at = new Instant[capacity];
        this.kind = new byte[capacity];
        this.runId = new String[capacity];
        this.taskId = new String[capacity];
        this.queue = new String[capacity];
        this.from = new byte[capacity];
        this.to = new byte[capacity];
        this.attempt = new int[capacity];
        this.detail = new String[capacity];
    }

    public void append(JournalEvent event) {
        append(event.at(), event.kind(), event.runId(), event.taskId(), event.queue(), event.from(), event.to(),
                event.attempt(), event.detail());
    }

    /** Appends an event with the next seq. */
    public void append(Instant time, JournalEvent.Kind eventKind, String run, String task, String queueName,
                       RunStatus fromStatus, RunStatus toStatus, int attemptNumber, String text) {
        long ms = time.toEpochMilli();
        Instant stamp = time;
        if (ms < lastAt) {
            stamp = lastAtInstant;
        } else if (ms != lastAt) {
            lastAt = ms;
            lastAtInstant = time;
        }
        long seq = ++lastSeq;
        int i = slot(seq);
        at[i] = stamp;
        kind[i] = (byte) eventKind.ordinal();
        runId[i] = run;
        taskId[i] = task;
        queue[i] = queueName;
        from[i] = fromStatus == null ? NONE : (byte) fromStatus.ordinal();
        to[i] = toStatus == null ? NONE : (byte) toStatus.ordinal();
        attempt[i] = attemptNumber;
        detail[i] = text;
        if (size < capacity) {
            size++;
        }
    }

    private int slot(long seq) {
        return (int) (seq % capacity);
    }

    public long lastSeq() {
        return lastSeq;
    }

    public long oldestSeq() {
        return lastSeq - size + 1;
    }

    private JournalEvent event(long seq) {
        int i = slot(seq);
        return new JournalEvent(seq, at[i], KINDS[kind[i]], runId[i], taskId[i], queue[i],
                from[i] == NONE ? null : STATUSES[from[i]], to[i] == NONE ? null : STATUSES[to[i]], attempt[i], detail[i]);
    }

    public List<JournalEvent> read(long afterSeq, int max) {
        long first = Math.max(afterSeq + 1, oldestSeq());
        long last = Math.min(lastSeq, first + Math.max(0, max) - 1);
        List<JournalEvent> out = new ArrayList<>((int) Math.max(0, last - first + 1));
        for (long seq = first; seq <= last; seq++) {
            out.add(event(seq));
        }
        return out;
    }

    public long seqAt(Instant time) {
        long lo = oldestSeq();
        long hi = lastSeq + 1;
        long target = time.toEpochMilli();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (at[slot(mid)].toEpochMilli() < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public List<JournalEvent> forRun(String id) {
        List<JournalEvent> out = new ArrayList<>();
        for (long seq = oldestSeq(); seq <= lastSeq; seq++) {
            if (id.equals(runId[slot(seq)])) {
                out.add(event(seq));
            }
        }
        return out;
    }
}
