package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.JournalEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last committed journal events, kept in memory so that journal subscribers (live views,
 * the engine's own waiters) read the tail of the journal without a query: the writer adds a
 * group's events after its COMMIT, so everything here is also in the file. A read that reaches
 * before what the ring holds, or below what retention pruned, returns null and the caller reads
 * the file. One writer thread appends; any thread reads.
 */
final class RecentEvents {

    private final AtomicReferenceArray<JournalEvent> ring;
    private final int mask;
    /** Events below this seq may have been pruned from the file: never served from here. */
    private volatile long floor;
    /** The first seq this ring was given (events before it were committed by another process). */
    private volatile long first = Long.MAX_VALUE;

    RecentEvents(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.ring = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
    }

    /** Adds committed events, in seq order; called by the writer before it publishes their seq. */
    void add(List<JournalEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        if (first == Long.MAX_VALUE) {
            first = events.getFirst().seq();
        }
        for (JournalEvent e : events) {
            ring.set((int) (e.seq() & mask), e);
        }
    }

    /** Retention pruned the file below {@code seq}. */
    void prunedBelow(long seq) {
        if (seq > floor) {
            floor = seq;
        }
    }

    /**
     * Events after {@code afterSeq} up to {@code lastSeq} (committed), at most {@code max}; null
     * when the ring cannot answer for all of them (too old, overwritten meanwhile, pruned).
     */
    List<JournalEvent> read(long afterSeq, long lastSeq, int max) {
        long from = afterSeq + 1;
        long to = Math.min(lastSeq, afterSeq + Math.max(0, max));
        if (from < first || from < floor || (to >= from && lastSeq - from >= ring.length())) {
            return null;
        }
        List<JournalEvent> out = new ArrayList<>((int) Math.max(0, to - from + 1));
        for (long seq = from; seq <= to; seq++) {
            JournalEvent e = ring.get((int) (seq & mask));
            if (e == null || e.seq() != seq) {
                return null; // overwritten by newer events while we read
            }
            out.add(e);
        }
        return out;
    }
}
