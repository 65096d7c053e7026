package io.taskdeck.engine.store;

import io.taskdeck.engine.Attempt;
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
import io.taskdeck.engine.store.internal.MemoryState;
import io.taskdeck.engine.store.internal.StoreListeners;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A store that keeps everything in the heap: fast, single-process, gone on exit. One lock
 * guards the state; no handler ever runs under it, and every call is short (claims and
 * completions come in batches).
 *
 * <p>Memory stays bounded: the journal and the attempt statistics are rings, and finished runs
 * are deleted once older than the retention (default 24 h after their last change) or beyond
 * the cap on finished runs kept (default {@value #DEFAULT_MAX_FINISHED_RUNS}), oldest first.
 * Runs still pending or executing, and open dead letters, are never deleted. A deleted run's
 * idempotency key is forgotten with it.
 *
 * <pre>{@code
 * RunStore store = MemoryRunStore.builder().finishedRunRetention(Duration.ofHours(1)).maxFinishedRuns(50_000).build();
 * }</pre>
 */
public final class MemoryRunStore implements RunStore {

    /** Journal events kept by default; older ones are dropped (subscribers are told to resync). */
    public static final int DEFAULT_JOURNAL_RETENTION = 200_000;
    /** Ended attempts kept for stats by default. */
    public static final int DEFAULT_STATS_RETENTION = 200_000;
    /** How long a finished run is kept after its last change, by default. */
    public static final Duration DEFAULT_FINISHED_RUN_RETENTION = Duration.ofHours(24);
    /** Finished runs kept at most by default (the oldest are deleted first). */
    public static final int DEFAULT_MAX_FINISHED_RUNS = 200_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final MemoryState state;
    private final StoreListeners workListeners = new StoreListeners();
    private final StoreListeners appendListeners = new StoreListeners();

    public MemoryRunStore() {
        this(DEFAULT_JOURNAL_RETENTION, DEFAULT_STATS_RETENTION);
    }

    public MemoryRunStore(int journalRetention, int statsRetention) {
        this(builder().journalRetention(journalRetention).statsRetention(statsRetention));
    }

    private MemoryRunStore(Builder b) {
        this.state = new MemoryState(b.journalRetention, b.statsRetention,
                b.finishedRunRetention == null ? Long.MAX_VALUE : b.finishedRunRetention.toMillis(), b.maxFinishedRuns);
    }

    public static Builder builder() {
        return new Builder();
    }

    private <T> T read(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private <T> T write(Supplier<T> action, boolean wake) {
        T result;
        long seqBefore;
        long seqAfter;
        lock.lock();
        try {
            seqBefore = state.journal().lastSeq();
            result = action.get();
            seqAfter = state.journal().lastSeq();
        } finally {
            lock.unlock();
        }
        if (seqAfter != seqBefore) {
            appendListeners.fire();
        }
        if (wake) {
            workListeners.fire();
        }
        return result;
    }

    @Override
    public QueueState ensureQueue(String name, int concurrencyLimit, int concurrencyKeyLimit, Instant now) {
        return write(() -> state.ensureQueue(name, concurrencyLimit, concurrencyKeyLimit), true);
    }

    @Override
    public QueueState updateQueue(String name, QueueUpdate update, Instant now) {
        return write(() -> state.updateQueue(name, update, now), true);
    }

    @Override
    public Optional<QueueState> queue(String name) {
        return read(() -> state.queueState(name));
    }

    @Override
    public List<QueueState> queues() {
        return read(state::queueStates);
    }

    @Override
    public List<InsertResult> insert(List<Run> runs, Instant now) {
        return write(() -> state.insert(runs, now), true);
    }

    @Override
    public List<Run> claim(ClaimRequest request) {
        return write(() -> state.claim(request), false);
    }

    @Override
    public List<Run> resume(String nodeId, List<String> runIds, Instant now, Instant leaseUntil) {
        return write(() -> state.resume(nodeId, runIds, now, leaseUntil), false);
    }

    @Override
    public List<TransitionResult> apply(List<Transition> transitions, Instant now) {
        return write(() -> state.apply(transitions, now), true);
    }

    @Override
    public List<Run> promoteDue(Instant now, int max) {
        List<Run> changed = write(() -> state.promoteDue(now, max), false);
        if (!changed.isEmpty()) {
            workListeners.fire();
        }
        return changed;
    }

    @Override
    public int pruneFinished(Instant now, int max) {
        return write(() -> state.prune(now, max), false);
    }

    @Override
    public Optional<Instant> nextDueAt() {
        return write(state::nextDueAt, false);
    }

    @Override
    public List<Run> expiredLeases(Instant now, int max) {
        return read(() -> state.expiredLeases(now, max));
    }

    @Override
    public List<String> renewLeases(String nodeId, Collection<String> runIds, Instant leaseUntil) {
        return write(() -> state.renewLeases(nodeId, runIds, leaseUntil), false);
    }

    @Override
    public void appendLogs(List<LogLine> lines) {
        write(() -> {
            state.appendLogs(lines);
            return null;
        }, false);
    }

    @Override
    public boolean resetIdempotencyKey(String taskId, String key) {
        return write(() -> state.resetIdempotencyKey(taskId, key), false);
    }

    @Override
    public Optional<Run> find(String runId) {
        return read(() -> state.find(runId));
    }

    @Override
    public RunPage list(RunQuery query) {
        return read(() -> state.list(query));
    }

    @Override
    public List<Run> children(String parentId) {
        return read(() -> state.children(parentId));
    }

    @Override
    public List<Attempt> attempts(String runId) {
        return read(() -> state.attempts(runId));
    }

    @Override
    public List<LogLine> logs(String runId) {
        return read(() -> state.logs(runId));
    }

    @Override
    public List<DeadLetterGroup> deadLetterGroups(String taskId) {
        return read(() -> state.deadLetterGroups(taskId));
    }

    @Override
    public Map<RunStatus, Long> countByStatus(String queue, String taskId) {
        return read(() -> state.countByStatus(queue, taskId));
    }

    @Override
    public List<Attempt> attemptsEndedBetween(Instant from, Instant to, String queue, String taskId, int max) {
        return read(() -> state.attemptsEndedBetween(from, to, queue, taskId, max));
    }

    @Override
    public List<JournalEvent> readJournal(long afterSeq, int max) {
        return read(() -> state.journal().read(afterSeq, max));
    }

    @Override
    public long lastSeq() {
        return read(() -> state.journal().lastSeq());
    }

    @Override
    public long oldestSeq() {
        return read(() -> state.journal().oldestSeq());
    }

    @Override
    public long seqAt(Instant at) {
        return read(() -> state.journal().seqAt(at));
    }

    @Override
    public List<JournalEvent> runEvents(String runId) {
        return read(() -> state.journal().forRun(runId));
    }

    @Override
    public AutoCloseable onWork(Runnable listener) {
        return workListeners.add(listener);
    }

    @Override
    public AutoCloseable onAppend(Runnable listener) {
        return appendListeners.add(listener);
    }

    @Override
    public void close() {
        workListeners.clear();
        appendListeners.clear();
    }

    /** For tests and diagnostics: a run count per dead-letter state. */
    public Map<DeadLetterState, Long> deadLetterCounts() {
        return read(state::deadLetterCounts);
    }

    /** The sizes and retention of a memory store. */
    public static final class Builder {
        private int journalRetention = DEFAULT_JOURNAL_RETENTION;
        private int statsRetention = DEFAULT_STATS_RETENTION;
        private Duration finishedRunRetention = DEFAULT_FINISHED_RUN_RETENTION;
        private int maxFinishedRuns = DEFAULT_MAX_FINISHED_RUNS;

        private Builder() {
        }

        /** Journal events kept; older ones are dropped (subscribers are told to resync). */
        public Builder journalRetention(int events) {
            journalRetention = atLeastOne("journalRetention", events);
            return this;
        }

        /** Ended attempts kept for stats. */
        public Builder statsRetention(int attempts) {
            statsRetention = atLeastOne("statsRetention", attempts);
            return this;
        }

        /** How long a finished run is kept after its last change; null keeps finished runs for good. */
        public Builder finishedRunRetention(Duration age) {
            if (age != null && (age.isNegative() || age.isZero())) {
                throw new IllegalArgumentException("finishedRunRetention must be positive (or null for no limit), got " + age);
            }
            finishedRunRetention = age;
            return this;
        }

        /** Finished runs kept at most; beyond it the oldest are deleted. */
        public Builder maxFinishedRuns(int runs) {
            maxFinishedRuns = atLeastOne("maxFinishedRuns", runs);
            return this;
        }

        private static int atLeastOne(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be >= 1, got " + value);
            }
            return value;
        }

        public MemoryRunStore build() {
            return new MemoryRunStore(this);
        }
    }

}
