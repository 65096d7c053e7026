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
 */
public final class RingJournal {

    private final JournalEvent[] ring;
    private long lastSeq;
    private long lastAt = Long.MIN_VALUE;
    private Instant lastAtInstant;
    private int size;

    public RingJournal(int capacity) {
        this.ring = new JournalEvent[capacity];
    }

    public JournalEvent append(JournalEvent event) {
        return append(event.at(), event.kind(), event.runId(), event.taskId(), event.queue(), event.from(), event.to(),
                event.attempt(), event.detail());
    }

    /** Appends an event built here, with its seq: one allocation per event. */
    public JournalEvent append(Instant at, JournalEvent.Kind kind, String runId, String taskId, String queue,
                               RunStatus from, RunStatus to, int attempt, String detail) {
        long ms = at.toEpochMilli();
        Instant time = at;
        if (ms < lastAt) {
            time = lastAtInstant;
        } else if (ms != lastAt) {
            lastAt = ms;
            lastAtInstant = at;
        }
        long seq = ++lastSeq;
        JournalEvent stored = new JournalEvent(seq, time, kind, runId, taskId, queue, from, to, attempt, detail);
        ring[(int) (seq % ring.length)] = stored;
        if (size < ring.length) {
            size++;
        }
        return stored;
    }

    public long lastSeq() {
        return lastSeq;
    }

    public long oldestSeq() {
        return lastSeq - size + 1;
    }

    private JournalEvent at(long seq) {
        return ring[(int) (seq % ring.length)];
    }

    public List<JournalEvent> read(long afterSeq, int max) {
        long from = Math.max(afterSeq + 1, oldestSeq());
        long to = Math.min(lastSeq, from + Math.max(0, max) - 1);
        List<JournalEvent> out = new ArrayList<>((int) Math.max(0, to - from + 1));
        for (long seq = from; seq <= to; seq++) {
            out.add(at(seq));
        }
        return out;
    }

    public long seqAt(Instant time) {
        long lo = oldestSeq();
        long hi = lastSeq + 1;
        long target = time.toEpochMilli();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (at(mid).at().toEpochMilli() < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public List<JournalEvent> forRun(String runId) {
        List<JournalEvent> out = new ArrayList<>();
        for (long seq = oldestSeq(); seq <= lastSeq; seq++) {
            JournalEvent e = at(seq);
            if (runId.equals(e.runId())) {
                out.add(e);
            }
        }
        return out;
    }
}
