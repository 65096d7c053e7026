package io.taskdeck.engine.store.internal;

import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.DeadLetterGroup;
import io.taskdeck.engine.DeadLetterState;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.LogLine;
import io.taskdeck.engine.QueueState;
import io.taskdeck.engine.QueueUpdate;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunPage;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.ClaimRequest;
import io.taskdeck.engine.store.InsertResult;
import io.taskdeck.engine.store.Transition;
import io.taskdeck.engine.store.TransitionResult;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * The data structures of the memory store. Not thread-safe: {@code MemoryRunStore} calls it
 * under one lock.
 *
 * <p>Each queue keeps a sorted set of what can start next: unkeyed runs, retry-due keyed runs
 * (they already hold their key's slot), and one entry per concurrency key that has a free key
 * slot, positioned by the key's oldest waiting run. A claim takes the first items of each
 * queue until the queue's slots or the caller's free slots run out, so a claim costs
 * O(claimed × log n) whatever the backlog. Delays, retry timers and TTLs sit in one timer heap
 * with lazy deletion (an entry's version changes whenever it is re-indexed).
 */
public final class MemoryState {

    /** Timers drained per call at most, so one call never holds the lock for long. */
    private static final int MAX_TIMERS_PER_CALL = 10_000;
    private static final int MAX_LOG_LINES_PER_RUN = 10_000;
    private static final int UNLIMITED = Integer.MAX_VALUE;
    private static final RunStatus[] STATUSES = RunStatus.values();

    private interface Ready {
        long sortKey();

        String sortId();
    }

    private static final Comparator<Ready> ORDER = (a, b) -> {
        int c = Long.compare(a.sortKey(), b.sortKey());
        return c != 0 ? c : a.sortId().compareTo(b.sortId());
    };

    private enum Place { NONE, READY, GROUP, TIMER }

    private static final class Entry implements Ready {
        Run run;
        /** run.orderKey(), which never changes: comparisons are hot. */
        final long orderKey;
        int version;
        Place place = Place.NONE;
        /** In the finished FIFO (at most once). */
        boolean inFinished;
        List<Attempt> attempts;
        List<LogLine> logs;

        Entry(Run run) {
            this.run = run;
            this.orderKey = run.orderKey();
        }

        @Override
        public long sortKey() {
            return orderKey;
        }

        @Override
        public String sortId() {
            return run.id();
        }
    }

    private static final class KeyGroup implements Ready {
        final MemQueue queue;
        final String key;
        final TreeSet<Entry> waiting = new TreeSet<>(ORDER);
        int holders;
        boolean inReady;
        boolean setAside;
        long sortKey;
        String sortId;

        KeyGroup(MemQueue queue, String key) {
            this.queue = queue;
            this.key = key;
        }

        @Override
        public long sortKey() {
            return sortKey;
        }

        @Override
        public String sortId() {
            return sortId;
        }
    }

    private static final class MemQueue {
        final String name;
        int limit;
        Integer override;
        int keyLimit;
        boolean paused;
        int executing;
        int queued;
        final SortedSegments<Ready, Ready> ready = new SortedSegments<>(r -> r, ORDER);
        final HashMap<String, KeyGroup> groups = new HashMap<>();
        final long[] counts = new long[STATUSES.length];

        MemQueue(String name, int limit, int keyLimit) {
            this.name = name;
            this.limit = limit;
            this.keyLimit = keyLimit;
        }

        int effectiveLimit() {
            return override != null ? override : limit;
        }

        QueueState state() {
            return new QueueState(name, limit, override, keyLimit, paused, executing, queued);
        }
    }

    private record Timer(long due, Entry entry, int version, boolean expire) {
    }

    private final HashMap<String, Entry> runs = new HashMap<>();
    private final SortedSegments<Entry, String> byId = new SortedSegments<>(e -> e.run.id(), String::compareTo);
    /**
     * Runs by id per status, for the statuses that stay small and are filtered on (failures,
     * cancellations, waits...). QUEUED and COMPLETED are the bulk and are scanned; EXECUTING is
     * read from {@code held}, bounded by the concurrency limits.
     */
    private static final Set<RunStatus> INDEXED = EnumSet.complementOf(
            EnumSet.of(RunStatus.QUEUED, RunStatus.COMPLETED, RunStatus.EXECUTING));
    private final EnumMap<RunStatus, SortedSegments<Entry, String>> byStatus = new EnumMap<>(RunStatus.class);
    private final HashMap<String, List<Entry>> children = new HashMap<>();
    private final HashMap<String, Entry> idempotency = new HashMap<>();
    private final LinkedHashMap<String, MemQueue> queues = new LinkedHashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(Comparator.comparingLong(Timer::due));
    private final LinkedHashSet<Entry> held = new LinkedHashSet<>();
    private final LinkedHashSet<Entry> openDeadLetters = new LinkedHashSet<>();
    private final long[] totalCounts = new long[STATUSES.length];
    private final HashMap<String, long[]> taskCounts = new HashMap<>();
    private final ArrayDeque<Attempt> endedAttempts = new ArrayDeque<>();
    private final int statsRetention;
    /** Finished runs are deleted this long after their last change (Long.MAX_VALUE: never). */
    private final long finishedRetentionMs;
    /** At most this many finished runs are kept; the oldest go first. */
    private final int maxFinished;
    /**
     * Finished runs (open dead letters aside) in the order they finished: the retention deletes
     * from the front. An entry is here at most once; one that left the finished state (requeued,
     * or an open dead letter) is dropped when it reaches the front and added again when it
     * finishes again.
     */
    private final ArrayDeque<Entry> finished = new ArrayDeque<>();
    private int finishedCount;
    private final RingJournal journal;

    public MemoryState(int journalRetention, int statsRetention, long finishedRetentionMs, int maxFinished) {
        this.finishedRetentionMs = finishedRetentionMs;
        this.maxFinished = maxFinished;
        for (RunStatus st : INDEXED) {
            byStatus.put(st, new SortedSegments<>(e -> e.run.id(), String::compareTo));
        }
        this.journal = new RingJournal(journalRetention);
        this.statsRetention = statsRetention;
    }

    public RingJournal journal() {
        return journal;
    }

    // ---------------------------------------------------------------- queues

    private MemQueue queueOf(String name) {
        return queues.computeIfAbsent(name, n -> new MemQueue(n, UNLIMITED, 1));
    }

    public QueueState ensureQueue(String name, int limit, int keyLimit) {
        requireName(name);
        if (limit < 0 || keyLimit < 1) {
            throw new IllegalArgumentException("queue " + name + ": concurrencyLimit must be >= 0 and concurrencyKeyLimit >= 1, got "
                    + limit + " and " + keyLimit);
        }
        MemQueue q = queueOf(name);
        q.limit = limit;
        if (q.keyLimit != keyLimit) {
            q.keyLimit = keyLimit;
            for (KeyGroup g : new ArrayList<>(q.groups.values())) {
                refresh(g);
            }
        }
        return q.state();
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("queue name must not be blank");
        }
    }

    public QueueState updateQueue(String name, QueueUpdate update, Instant now) {
        MemQueue q = queues.get(name);
        if (q == null) {
            throw new NoSuchElementException("no queue named " + name);
        }
        String detail;
        switch (update) {
            case QueueUpdate.OverrideLimit o -> {
                q.override = o.limit();
                detail = "concurrencyLimit overridden to " + o.limit();
            }
            case QueueUpdate.ResetLimit r -> {
                q.override = null;
                detail = "concurrencyLimit reset to " + q.limit;
            }
            case QueueUpdate.SetPaused p -> {
                q.paused = p.paused();
                detail = p.paused() ? "paused" : "resumed";
            }
        }
        journal.append(now, JournalEvent.Kind.QUEUE_UPDATED, null, null, name, null, null, 0, detail);
        return q.state();
    }

    public Optional<QueueState> queueState(String name) {
        MemQueue q = queues.get(name);
        return q == null ? Optional.empty() : Optional.of(q.state());
    }

    public List<QueueState> queueStates() {
        List<QueueState> out = new ArrayList<>(queues.size());
        for (MemQueue q : queues.values()) {
            out.add(q.state());
        }
        return out;
    }

    // ---------------------------------------------------------------- indexing

    private KeyGroup group(MemQueue q, String key) {
        return q.groups.computeIfAbsent(key, k -> new KeyGroup(q, k));
    }

    private static boolean holdsKey(Run r) {
        return r.concurrencyKey() != null && (r.status() == RunStatus.EXECUTING || r.isRetryPending());
    }

    private void refresh(KeyGroup g) {
        if (g.inReady) {
            g.queue.ready.remove(g);
            g.inReady = false;
        }
        if (g.setAside) {
            return;
        }
        if (g.holders < g.queue.keyLimit && !g.waiting.isEmpty()) {
            Entry head = g.waiting.first();
            g.sortKey = head.sortKey();
            g.sortId = head.sortId();
            g.queue.ready.add(g);
            g.inReady = true;
        } else if (g.holders == 0 && g.waiting.isEmpty()) {
            g.queue.groups.remove(g.key);
        }
    }

    /** Removes an entry from every index, according to its current run. */
    private void detach(Entry e) {
        Run r = e.run;
        MemQueue q = queueOf(r.queue());
        e.version++;
        switch (e.place) {
            case READY -> {
                q.ready.remove(e);
                q.queued--;
            }
            case GROUP -> {
                KeyGroup g = group(q, r.concurrencyKey());
                g.waiting.remove(e);
                q.queued--;
                refresh(g);
            }
            default -> {
            }
        }
        e.place = Place.NONE;
        if (r.status() == RunStatus.EXECUTING) {
            q.executing--;
        }
        if (r.status() == RunStatus.EXECUTING || r.status() == RunStatus.WAITING) {
            held.remove(e);
        }
        if (holdsKey(r)) {
            KeyGroup g = group(q, r.concurrencyKey());
            g.holders--;
            refresh(g);
        }
        count(r, q, -1);
        if (prunable(r)) {
            finishedCount--;
        }
        if (INDEXED.contains(r.status())) {
            byStatus.get(r.status()).remove(e);
        }
        if (r.deadLetter() == DeadLetterState.OPEN) {
            openDeadLetters.remove(e);
        }
    }

    /** Adds an entry to the indexes its current run belongs in. */
    private void attach(Entry e, long now) {
        Run r = e.run;
        MemQueue q = queueOf(r.queue());
        if (holdsKey(r)) {
            KeyGroup g = group(q, r.concurrencyKey());
            g.holders++;
            refresh(g);
        }
        switch (r.status()) {
            case DELAYED -> {
                e.place = Place.TIMER;
                timers.add(new Timer(r.runAt() == null ? now : r.runAt().toEpochMilli(), e, e.version, false));
                addExpiry(e);
            }
            case QUEUED -> {
                if (r.runAt() != null && r.runAt().toEpochMilli() > now) {
                    e.place = Place.TIMER;
                    timers.add(new Timer(r.runAt().toEpochMilli(), e, e.version, false));
                } else {
                    makeReady(e, q);
                }
                addExpiry(e);
            }
            case EXECUTING -> {
                q.executing++;
                held.add(e);
            }
            case WAITING -> held.add(e);
            default -> {
            }
        }
        count(r, q, +1);
        if (prunable(r)) {
            finishedCount++;
            if (!e.inFinished) {
                e.inFinished = true;
                finished.addLast(e);
            }
        }
        if (INDEXED.contains(r.status())) {
            byStatus.get(r.status()).add(e);
        }
        if (r.deadLetter() == DeadLetterState.OPEN) {
            openDeadLetters.add(e);
        }
    }

    private void addExpiry(Entry e) {
        Run r = e.run;
        if (r.expiresAt() != null && r.attempts() == 0) {
            timers.add(new Timer(r.expiresAt().toEpochMilli(), e, e.version, true));
        }
    }

    private void makeReady(Entry e, MemQueue q) {
        Run r = e.run;
        q.queued++;
        if (r.concurrencyKey() == null || r.isRetryPending()) {
            e.place = Place.READY;
            q.ready.add(e);
        } else {
            e.place = Place.GROUP;
            KeyGroup g = group(q, r.concurrencyKey());
            g.waiting.add(e);
            refresh(g);
        }
    }

    private void count(Run r, MemQueue q, int delta) {
        int i = r.status().ordinal();
        totalCounts[i] += delta;
        q.counts[i] += delta;
        long[] task = taskCounts.get(r.taskId());
        if (task == null) {
            task = new long[STATUSES.length];
            taskCounts.put(r.taskId(), task);
        }
        task[i] += delta;
    }

    /** Replaces an entry's run, re-indexing it, and journals the change. */
    private Run change(Entry e, Run next, JournalEvent event, long now) {
        reindex(e, next, now);
        journal.append(event);
        return next;
    }

    private void reindex(Entry e, Run next, long now) {
        detach(e);
        e.run = next;
        attach(e, now);
    }

    // ---------------------------------------------------------------- writes

    public List<InsertResult> insert(List<Run> batch, Instant now) {
        Set<String> ids = batch.size() == 1 ? null : HashSet.newHashSet(batch.size());
        for (Run r : batch) {
            if (r.status() != RunStatus.DELAYED && r.status() != RunStatus.QUEUED) {
                throw new IllegalArgumentException("run " + r.id() + ": a new run is DELAYED or QUEUED, not " + r.status());
            }
            if (runs.containsKey(r.id()) || (ids != null && !ids.add(r.id()))) {
                throw new IllegalArgumentException("run " + r.id() + " already exists");
            }
            requireName(r.queue());
        }
        long nowMs = now.toEpochMilli();
        List<InsertResult> out = new ArrayList<>(batch.size());
        for (Run r : batch) {
            String idemKey = r.idempotencyKey() == null ? null : r.taskId() + '\u0000' + r.idempotencyKey();
            if (idemKey != null) {
                Entry existing = idempotency.get(idemKey);
                if (existing != null && (existing.run.idempotencyKeyExpiresAt() == null
                        || existing.run.idempotencyKeyExpiresAt().isAfter(now))) {
                    out.add(new InsertResult(existing.run, true));
                    continue;
                }
            }
            Entry e = new Entry(r);
            runs.put(r.id(), e);
            byId.add(e);
            if (r.parentId() != null) {
                children.computeIfAbsent(r.parentId(), k -> new ArrayList<>(2)).add(e);
            }
            if (idemKey != null) {
                idempotency.put(idemKey, e);
            }
            attach(e, nowMs);
            journal.append(now, JournalEvent.Kind.RUN_TRIGGERED, r.id(), r.taskId(), r.queue(), null, r.status(), 0, null);
            out.add(new InsertResult(r, false));
        }
        return out;
    }

    public List<Run> claim(ClaimRequest req) {
        long now = req.now().toEpochMilli();
        drainTimers(req.now(), MAX_TIMERS_PER_CALL, null);
        List<Run> out = new ArrayList<>(Math.min(req.max(), 256));
        if (req.max() == 0) {
            return out;
        }
        List<MemQueue> active = new ArrayList<>();
        for (MemQueue q : queues.values()) {
            if (!q.paused && !q.ready.isEmpty() && q.executing < q.effectiveLimit()) {
                active.add(q);
            }
        }
        List<Ready> aside = new ArrayList<>();
        boolean progress = true;
        while (progress && out.size() < req.max()) {
            progress = false;
            for (MemQueue q : active) {
                if (out.size() >= req.max()) {
                    break;
                }
                if (q.executing >= q.effectiveLimit()) {
                    continue;
                }
                Entry next = nextClaimable(q, req.taskIds(), aside);
                if (next != null) {
                    out.add(claimEntry(next, req, now));
                    progress = true;
                }
            }
        }
        for (Ready r : aside) {
            if (r instanceof KeyGroup g) {
                g.setAside = false;
                refresh(g);
            } else {
                Entry e = (Entry) r;
                if (e.place == Place.READY) {
                    queueOf(e.run.queue()).ready.add(e);
                }
            }
        }
        return out;
    }

    private Entry nextClaimable(MemQueue q, Set<String> taskIds, List<Ready> aside) {
        while (!q.ready.isEmpty()) {
            Ready first = q.ready.first();
            Entry candidate = first instanceof KeyGroup g ? g.waiting.first() : (Entry) first;
            if (taskIds.contains(candidate.run.taskId())) {
                return candidate;
            }
            q.ready.pollFirst();
            if (first instanceof KeyGroup g) {
                g.inReady = false;
                g.setAside = true;
            }
            aside.add(first);
        }
        return null;
    }

    private Run claimEntry(Entry e, ClaimRequest req, long now) {
        Run r = e.run;
        Instant at = req.now();
        // The hot path: one copy, straight through the canonical constructor.
        Run next = new Run(r.id(), r.taskId(), r.queue(), RunStatus.EXECUTING, r.payload(), r.output(), null,
                r.metadata(), r.tags(), r.idempotencyKey(), r.idempotencyKeyExpiresAt(), r.concurrencyKey(),
                r.priority(), r.createdAt(), r.runAt(), r.expiresAt(), r.startedAt() == null ? at : r.startedAt(),
                r.completedAt(), at, r.attempts() + 1, r.maxAttempts(), r.parentId(), r.rootId(), r.batchId(),
                req.nodeId(), req.leaseUntil(), r.deadLetter(), r.fingerprint());
        long readyAt = r.runAt() != null ? r.runAt().toEpochMilli() : r.createdAt().toEpochMilli();
        if (e.attempts == null) {
            e.attempts = new ArrayList<>(2);
        }
        e.attempts.add(new Attempt(r.id(), next.attempts(), r.taskId(), r.queue(), req.nodeId(),
                Math.max(0, now - readyAt), at, null, AttemptOutcome.RUNNING, null));
        reindex(e, next, now);
        journal.append(at, JournalEvent.Kind.RUN_STATUS_CHANGED, r.id(), r.taskId(), r.queue(), r.status(),
                RunStatus.EXECUTING, next.attempts(), null);
        return next;
    }

    public List<Run> resume(String nodeId, List<String> runIds, Instant now, Instant leaseUntil) {
        List<Run> out = new ArrayList<>();
        for (String id : runIds) {
            Entry e = runs.get(id);
            if (e == null || e.run.status() != RunStatus.WAITING || !nodeId.equals(e.run.nodeId())) {
                continue;
            }
            MemQueue q = queueOf(e.run.queue());
            if (q.paused || q.executing >= q.effectiveLimit()) {
                continue;
            }
            Run r = e.run;
            Run next = r.toBuilder().status(RunStatus.EXECUTING).leaseUntil(leaseUntil).updatedAt(now).build();
            out.add(change(e, next, new JournalEvent(0, now, JournalEvent.Kind.RUN_STATUS_CHANGED, r.id(), r.taskId(),
                    r.queue(), RunStatus.WAITING, RunStatus.EXECUTING, r.attempts(), "resumed"), now.toEpochMilli()));
        }
        return out;
    }

    public List<TransitionResult> apply(List<Transition> transitions, Instant now) {
        List<TransitionResult> out = new ArrayList<>(transitions.size());
        long nowMs = now.toEpochMilli();
        for (Transition t : transitions) {
            Entry e = runs.get(t.runId());
            if (e == null) {
                out.add(new TransitionResult(false, null));
                continue;
            }
            Run before = e.run;
            if (!t.accepts(before)) {
                out.add(new TransitionResult(false, before));
                continue;
            }
            Run next = t.applyTo(before, now);
            if (t.attemptOutcome() != null) {
                closeAttempt(e, now, t.attemptOutcome(), next.error());
            }
            change(e, next, t.event(before, next, now), nowMs);
            out.add(new TransitionResult(true, next));
        }
        prune(now, transitions.size() * 2 + 64);
        return out;
    }

    private void closeAttempt(Entry e, Instant now, AttemptOutcome outcome, io.taskdeck.engine.RunError error) {
        if (e.attempts == null || e.attempts.isEmpty()) {
            return;
        }
        int last = e.attempts.size() - 1;
        Attempt open = e.attempts.get(last);
        if (open.outcome() != AttemptOutcome.RUNNING) {
            return;
        }
        Attempt closed = open.finish(now, outcome, outcome == AttemptOutcome.SUCCEEDED ? null : error);
        e.attempts.set(last, closed);
        endedAttempts.addLast(closed);
        if (endedAttempts.size() > statsRetention) {
            endedAttempts.removeFirst();
        }
    }

    public List<Run> promoteDue(Instant now, int max) {
        List<Run> changed = new ArrayList<>();
        drainTimers(now, max, changed);
        prune(now, Math.max(max, 64));
        return changed;
    }

    private void drainTimers(Instant now, int max, List<Run> changed) {
        long nowMs = now.toEpochMilli();
        int handled = 0;
        while (!timers.isEmpty() && timers.peek().due() <= nowMs && handled < max) {
            Timer t = timers.poll();
            Entry e = t.entry();
            if (t.version() != e.version) {
                continue;
            }
            Run r = e.run;
            if (t.expire()) {
                if (r.status().isPending() && r.attempts() == 0) {
                    Run next = r.toBuilder().status(RunStatus.EXPIRED).completedAt(now).updatedAt(now).build();
                    change(e, next, new JournalEvent(0, now, JournalEvent.Kind.RUN_STATUS_CHANGED, r.id(), r.taskId(),
                            r.queue(), r.status(), RunStatus.EXPIRED, 0, "ttl expired"), nowMs);
                    handled++;
                    if (changed != null) changed.add(next);
                }
            } else if (r.status() == RunStatus.DELAYED) {
                Run next = r.toBuilder().status(RunStatus.QUEUED).updatedAt(now).build();
                change(e, next, new JournalEvent(0, now, JournalEvent.Kind.RUN_STATUS_CHANGED, r.id(), r.taskId(),
                        r.queue(), RunStatus.DELAYED, RunStatus.QUEUED, r.attempts(), "delay over"), nowMs);
                handled++;
                if (changed != null) changed.add(next);
            } else if (r.status() == RunStatus.QUEUED && e.place == Place.TIMER) {
                e.place = Place.NONE;
                makeReady(e, queueOf(r.queue()));
                handled++;
            }
        }
    }

    // ---------------------------------------------------------------- retention

    /** Deletable by the retention: finished, and not an open dead letter (kept until resolved). */
    private static boolean prunable(Run r) {
        return r.status().isFinal() && r.deadLetter() != DeadLetterState.OPEN;
    }

    /**
     * Deletes, oldest first, finished runs beyond the cap and those whose last change is older
     * than the retention: at most {@code max}. Returns how many went.
     */
    public int prune(Instant now, int max) {
        long cutoff = finishedRetentionMs == Long.MAX_VALUE ? Long.MIN_VALUE : now.toEpochMilli() - finishedRetentionMs;
        int removed = 0;
        while (removed < max && !finished.isEmpty()) {
            Entry e = finished.peekFirst();
            if (!prunable(e.run)) {
                finished.pollFirst();
                e.inFinished = false;
                continue;
            }
            if (finishedCount <= maxFinished && e.run.updatedAt().toEpochMilli() > cutoff) {
                break;
            }
            finished.pollFirst();
            e.inFinished = false;
            delete(e);
            removed++;
        }
        return removed;
    }

    private void delete(Entry e) {
        detach(e);
        Run r = e.run;
        runs.remove(r.id());
        byId.remove(e);
        if (r.parentId() != null) {
            List<Entry> siblings = children.get(r.parentId());
            if (siblings != null) {
                siblings.remove(e);
                if (siblings.isEmpty()) {
                    children.remove(r.parentId());
                }
            }
        }
        if (r.idempotencyKey() != null) {
            idempotency.remove(r.taskId() + '\u0000' + r.idempotencyKey(), e);
        }
    }

    public Optional<Instant> nextDueAt() {
        while (!timers.isEmpty() && timers.peek().version() != timers.peek().entry().version) {
            timers.poll();
        }
        long next = timers.isEmpty() ? Long.MAX_VALUE : timers.peek().due();
        for (Entry e : held) {
            Instant lease = e.run.leaseUntil();
            if (lease != null) {
                // Over after its end (expiredLeases): the first millisecond after it.
                next = Math.min(next, lease.toEpochMilli() + 1);
            }
        }
        return next == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(next));
    }

    public List<Run> expiredLeases(Instant now, int max) {
        List<Run> out = new ArrayList<>();
        for (Entry e : held) {
            if (out.size() >= max) {
                break;
            }
            Instant lease = e.run.leaseUntil();
            if (lease != null && lease.isBefore(now)) {
                out.add(e.run);
            }
        }
        return out;
    }

    public List<String> renewLeases(String nodeId, Collection<String> runIds, Instant leaseUntil) {
        List<String> lost = new ArrayList<>();
        for (String id : runIds) {
            Entry e = runs.get(id);
            if (e == null || !nodeId.equals(e.run.nodeId())
                    || (e.run.status() != RunStatus.EXECUTING && e.run.status() != RunStatus.WAITING)) {
                lost.add(id);
                continue;
            }
            e.run = e.run.toBuilder().leaseUntil(leaseUntil).build();
        }
        return lost;
    }

    public void appendLogs(List<LogLine> lines) {
        for (LogLine line : lines) {
            Entry e = runs.get(line.runId());
            if (e == null) {
                continue;
            }
            if (e.logs == null) {
                e.logs = new ArrayList<>();
            }
            if (e.logs.size() < MAX_LOG_LINES_PER_RUN) {
                e.logs.add(line);
            }
        }
    }

    public boolean resetIdempotencyKey(String taskId, String key) {
        return idempotency.remove(taskId + '\u0000' + key) != null;
    }

    // ---------------------------------------------------------------- reads

    public Optional<Run> find(String runId) {
        Entry e = runs.get(runId);
        return e == null ? Optional.empty() : Optional.of(e.run);
    }

    public RunPage list(RunQuery query) {
        Iterator<Entry> candidates = candidates(query);
        List<Run> page = new ArrayList<>(Math.min(query.limit(), 64));
        String nextCursor = null;
        while (candidates.hasNext()) {
            Entry e = candidates.next();
            if (!query.matches(e.run)) {
                continue;
            }
            if (page.size() == query.limit()) {
                nextCursor = page.getLast().id();
                break;
            }
            page.add(e.run);
        }
        return new RunPage(page, nextCursor);
    }

    /**
     * The runs a query may match, in its id order after its cursor: from the status indices when
     * it asks only for statuses that have one (or EXECUTING), from the parent's children when it
     * names a parent, else every run.
     */
    private Iterator<Entry> candidates(RunQuery query) {
        boolean ascending = query.oldestFirst();
        String cursor = query.cursor();
        Set<RunStatus> statuses = query.statuses();
        if (!statuses.isEmpty() && statuses.stream().allMatch(st -> INDEXED.contains(st) || st == RunStatus.EXECUTING)) {
            List<Iterator<Entry>> sources = new ArrayList<>(statuses.size());
            for (RunStatus st : statuses) {
                if (st == RunStatus.EXECUTING) {
                    List<Entry> executing = new ArrayList<>();
                    for (Entry e : held) {
                        if (e.run.status() == RunStatus.EXECUTING) {
                            executing.add(e);
                        }
                    }
                    sources.add(sortedAfterCursor(executing, ascending, cursor));
                } else {
                    SortedSegments<Entry, String> index = byStatus.get(st);
                    sources.add(ascending ? index.ascendingAfter(cursor) : index.descendingBefore(cursor));
                }
            }
            return sources.size() == 1 ? sources.getFirst() : new MergedById(sources, ascending);
        }
        if (query.parentId() != null) {
            List<Entry> kids = children.get(query.parentId());
            return sortedAfterCursor(kids == null ? List.of() : kids, ascending, cursor);
        }
        return ascending ? byId.ascendingAfter(cursor) : byId.descendingBefore(cursor);
    }

    private static final Comparator<Entry> BY_ID = (a, b) -> a.run.id().compareTo(b.run.id());

    private static Iterator<Entry> sortedAfterCursor(List<Entry> entries, boolean ascending, String cursor) {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            int c = cursor == null ? 0 : e.run.id().compareTo(cursor);
            if (cursor == null || (ascending ? c > 0 : c < 0)) {
                out.add(e);
            }
        }
        out.sort(ascending ? BY_ID : BY_ID.reversed());
        return out.iterator();
    }

    /** Merges iterators that are each in id order into one. */
    private static final class MergedById implements Iterator<Entry> {
        private final List<Iterator<Entry>> sources;
        private final Entry[] heads;
        private final boolean ascending;

        MergedById(List<Iterator<Entry>> sources, boolean ascending) {
            this.sources = sources;
            this.ascending = ascending;
            this.heads = new Entry[sources.size()];
            for (int i = 0; i < heads.length; i++) {
                heads[i] = sources.get(i).hasNext() ? sources.get(i).next() : null;
            }
        }

        @Override
        public boolean hasNext() {
            for (Entry h : heads) {
                if (h != null) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Entry next() {
            int best = -1;
            for (int i = 0; i < heads.length; i++) {
                if (heads[i] != null && (best < 0 || (BY_ID.compare(heads[i], heads[best]) < 0) == ascending)) {
                    best = i;
                }
            }
            if (best < 0) {
                throw new NoSuchElementException();
            }
            Entry out = heads[best];
            Iterator<Entry> source = sources.get(best);
            heads[best] = source.hasNext() ? source.next() : null;
            return out;
        }
    }

    public List<Run> children(String parentId) {
        List<Entry> list = children.get(parentId);
        if (list == null) {
            return List.of();
        }
        List<Run> out = new ArrayList<>(list.size());
        for (Entry e : list) {
            out.add(e.run);
        }
        return out;
    }

    public List<Attempt> attempts(String runId) {
        Entry e = runs.get(runId);
        return e == null || e.attempts == null ? List.of() : List.copyOf(e.attempts);
    }

    public List<LogLine> logs(String runId) {
        Entry e = runs.get(runId);
        return e == null || e.logs == null ? List.of() : List.copyOf(e.logs);
    }

    public List<DeadLetterGroup> deadLetterGroups(String taskId) {
        Map<String, List<Run>> byFingerprint = new HashMap<>();
        for (Entry e : openDeadLetters) {
            if (taskId == null || taskId.equals(e.run.taskId())) {
                byFingerprint.computeIfAbsent(e.run.fingerprint(), k -> new ArrayList<>()).add(e.run);
            }
        }
        List<DeadLetterGroup> out = new ArrayList<>(byFingerprint.size());
        for (var entry : byFingerprint.entrySet()) {
            Run first = null;
            Run last = null;
            for (Run r : entry.getValue()) {
                Instant at = r.completedAt() == null ? r.updatedAt() : r.completedAt();
                if (first == null || at.isBefore(first.completedAt() == null ? first.updatedAt() : first.completedAt())) {
                    first = r;
                }
                if (last == null || !at.isBefore(last.completedAt() == null ? last.updatedAt() : last.completedAt())) {
                    last = r;
                }
            }
            out.add(new DeadLetterGroup(entry.getKey(), last.taskId(),
                    last.error() == null ? null : last.error().type(),
                    last.error() == null ? null : last.error().message(),
                    entry.getValue().size(),
                    first.completedAt() == null ? first.updatedAt() : first.completedAt(),
                    last.completedAt() == null ? last.updatedAt() : last.completedAt(),
                    last.id()));
        }
        out.sort(Comparator.comparing(DeadLetterGroup::lastSeen).reversed().thenComparing(DeadLetterGroup::fingerprint));
        return out;
    }

    public Map<RunStatus, Long> countByStatus(String queue, String taskId) {
        long[] counts;
        if (queue == null && taskId == null) {
            counts = totalCounts;
        } else if (taskId == null) {
            MemQueue q = queues.get(queue);
            counts = q == null ? new long[STATUSES.length] : q.counts;
        } else if (queue == null) {
            counts = taskCounts.getOrDefault(taskId, new long[STATUSES.length]);
        } else {
            counts = new long[STATUSES.length];
            for (Entry e : runs.values()) {
                if (queue.equals(e.run.queue()) && taskId.equals(e.run.taskId())) {
                    counts[e.run.status().ordinal()]++;
                }
            }
        }
        Map<RunStatus, Long> out = new EnumMap<>(RunStatus.class);
        for (RunStatus s : STATUSES) {
            out.put(s, counts[s.ordinal()]);
        }
        return out;
    }

    public List<Attempt> attemptsEndedBetween(Instant from, Instant to, String queue, String taskId, int max) {
        List<Attempt> out = new ArrayList<>();
        Iterator<Attempt> it = endedAttempts.descendingIterator();
        while (it.hasNext() && out.size() < max) {
            Attempt a = it.next();
            if (a.endedAt().isBefore(from) || !a.endedAt().isBefore(to)) {
                continue;
            }
            if ((queue == null || queue.equals(a.queue())) && (taskId == null || taskId.equals(a.taskId()))) {
                out.add(a);
            }
        }
        return out;
    }

    public Map<DeadLetterState, Long> deadLetterCounts() {
        Map<DeadLetterState, Long> out = new EnumMap<>(DeadLetterState.class);
        for (Entry e : runs.values()) {
            out.merge(e.run.deadLetter(), 1L, Long::sum);
        }
        return out;
    }
}
