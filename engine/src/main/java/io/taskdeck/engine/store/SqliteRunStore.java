package io.taskdeck.engine.store;

import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.DeadLetterGroup;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.LogLine;
import io.taskdeck.engine.QueueState;
import io.taskdeck.engine.QueueUpdate;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunPage;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.internal.StoreListeners;
import io.taskdeck.engine.store.sqlite.Checkpointer;
import io.taskdeck.engine.store.sqlite.Codec;
import io.taskdeck.engine.store.sqlite.Conn;
import io.taskdeck.engine.store.sqlite.Readers;
import io.taskdeck.engine.store.sqlite.Reads;
import io.taskdeck.engine.store.sqlite.StoreFile;
import io.taskdeck.engine.store.sqlite.Writer;
import io.taskdeck.engine.store.sqlite.Writes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The durable embedded store: one SQLite file in WAL mode, owned by one process at a time.
 *
 * <p>Writes go through group commit: one writer thread drains every pending request into one
 * transaction and returns to each caller only after COMMIT, so {@code insert} (trigger)
 * returns once the run is durable per the chosen {@link SqliteStoreOptions.Durability}.
 * Reads use a small pool of connections that read while the writer commits. The schema is
 * managed by Flyway migrations; a file that is not a Taskdeck store is refused untouched.
 *
 * <p>At open, runs left EXECUTING or WAITING by a previous process get their lease ended (this
 * process holds the file's lock, so their holder is gone): the engine's rescue then retries
 * them or dead-letters them at once. Final runs and journal events older than the retention
 * are pruned in the background; open dead letters stay until resolved.
 */
public final class SqliteRunStore implements RunStore {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteRunStore.class);
    private static final int PRUNE_BATCH = 2_000;

    private final SqliteStoreOptions options;
    private final StoreFile file;
    private final Writer writer;
    private final Readers readers;
    private final Conn writerConn;
    private final AtomicLong dueWatermark = new AtomicLong(Long.MIN_VALUE);
    private final StoreListeners workListeners = new StoreListeners();
    private final StoreListeners appendListeners = new StoreListeners();
    private final ScheduledExecutorService pruner;
    private volatile boolean closed;

    private SqliteRunStore(SqliteStoreOptions options) {
        this.options = options;
        this.file = StoreFile.open(options);
        Conn w = null;
        Readers r = null;
        Writer wr = null;
        try {
            w = file.openWriter();
            long[] tail = Reads.journalTail(w);
            wr = new Writer(file.file(), w, new Checkpointer(file.file(), file.openCheckpointer()), tail[0], tail[1],
                    options.maxBatch(), this::committed);
            r = new Readers(file.file(), options.readers(), file::openReader);
        } catch (SQLException | RuntimeException e) {
            if (wr != null) wr.close();
            if (w != null) w.close();
            file.close();
            throw e instanceof StoreException se ? se
                    : new StoreException("cannot open the store " + file.file() + ": " + e.getMessage(), e);
        }
        this.writerConn = w;
        this.writer = wr;
        this.readers = r;
        int voided;
        try {
            voided = writer.submit("rescue runs of a previous process",
                    tx -> Writes.open(tx, options.clock().instant()));
        } catch (RuntimeException e) {
            writer.close();
            readers.close();
            writerConn.close();
            file.close();
            throw e;
        }
        if (voided > 0) {
            LOG.info("{}: {} run(s) were held by a process that is gone; their leases are ended so they are rescued",
                    file.file(), voided);
        }
        this.pruner = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "taskdeck-sqlite-pruner");
            t.setDaemon(true);
            return t;
        });
        long every = options.pruneInterval().toMillis();
        pruner.scheduleWithFixedDelay(this::pruneQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** Opens (creating when missing) the store in {@code file} with the default options. */
    public static SqliteRunStore open(Path file) {
        return open(SqliteStoreOptions.builder(file).build());
    }

    /**
     * Opens the store. Throws {@link StoreLockedException} when another process has it open,
     * {@link StoreException} when the file is not a Taskdeck store (it is left untouched), is
     * damaged, or cannot be read or migrated.
     */
    public static SqliteRunStore open(SqliteStoreOptions options) {
        return new SqliteRunStore(Objects.requireNonNull(options, "options"));
    }

    public SqliteStoreOptions options() {
        return options;
    }

    public Path file() {
        return file.file();
    }

    private void committed(boolean wake, boolean appended) {
        if (appended) {
            appendListeners.fire();
        }
        if (wake) {
            workListeners.fire();
        }
    }

    private void raiseWatermark(Instant now) {
        long ns = Codec.nanos(now);
        dueWatermark.accumulateAndGet(ns, Math::max);
    }

    // ---------------------------------------------------------------- queues

    @Override
    public QueueState ensureQueue(String name, int concurrencyLimit, int concurrencyKeyLimit, Instant now) {
        return writer.submit("register queue " + name, tx -> Writes.ensureQueue(tx, name, concurrencyLimit, concurrencyKeyLimit));
    }

    @Override
    public QueueState updateQueue(String name, QueueUpdate update, Instant now) {
        return writer.submit("update queue " + name, tx -> Writes.updateQueue(tx, name, update, now));
    }

    @Override
    public Optional<QueueState> queue(String name) {
        return readers.read("read queue " + name, c -> Reads.queueState(c, name));
    }

    @Override
    public List<QueueState> queues() {
        return readers.read("list queues", Reads::queues);
    }

    // ---------------------------------------------------------------- run writes

    @Override
    public List<InsertResult> insert(List<Run> runs, Instant now) {
        if (runs.isEmpty()) {
            return List.of();
        }
        return writer.submit("record runs", tx -> Writes.insert(tx, runs, now));
    }

    @Override
    public List<Run> claim(ClaimRequest request) {
        raiseWatermark(request.now());
        return writer.submit("claim runs", tx -> Writes.claim(tx, request));
    }

    /**
     * Both in one request, so one commit: the claim runs after the transitions in the same
     * savepoint. Should that request fail, nothing of it was kept: the transitions are saved on
     * their own, then the claim is tried again (and throws, if it must).
     */
    @Override
    public SavedAndClaimed saveAndClaim(List<Transition> transitions, Instant now, ClaimRequest claim) {
        if (transitions.isEmpty() || claim == null) {
            return RunStore.super.saveAndClaim(transitions, now, claim);
        }
        raiseWatermark(claim.now());
        try {
            return writer.submit("save finished attempts and claim runs",
                    tx -> new SavedAndClaimed(Writes.apply(tx, transitions, now), Writes.claim(tx, claim)));
        } catch (RuntimeException e) {
            return RunStore.super.saveAndClaim(transitions, now, claim);
        }
    }

    @Override
    public List<Run> resume(String nodeId, List<String> runIds, Instant now, Instant leaseUntil) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        return writer.submit("resume runs", tx -> Writes.resume(tx, nodeId, runIds, now, leaseUntil));
    }

    @Override
    public List<TransitionResult> apply(List<Transition> transitions, Instant now) {
        if (transitions.isEmpty()) {
            return List.of();
        }
        return writer.submit("update runs", tx -> Writes.apply(tx, transitions, now));
    }

    @Override
    public List<Run> promoteDue(Instant now, int max) {
        raiseWatermark(now);
        return writer.submit("promote due runs", tx -> Writes.promoteDue(tx, now, max));
    }

    @Override
    public Optional<Instant> nextDueAt() {
        long watermark = dueWatermark.get();
        return writer.submit("find the next due run", tx -> Writes.nextDueAt(tx, watermark));
    }

    /** From the writer's mirror of the unfinished runs: no index of leases is written (schema V4). */
    @Override
    public List<Run> expiredLeases(Instant now, int max) {
        return writer.submit("find expired leases", tx -> Writes.expiredLeases(tx, now, max));
    }

    @Override
    public List<String> renewLeases(String nodeId, Collection<String> runIds, Instant leaseUntil) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        return writer.submit("renew leases", tx -> Writes.renewLeases(tx, nodeId, runIds, leaseUntil));
    }

    @Override
    public void appendLogs(List<LogLine> lines) {
        if (!lines.isEmpty()) {
            writer.submit("append logs", tx -> Writes.appendLogs(tx, lines));
        }
    }

    @Override
    public boolean resetIdempotencyKey(String taskId, String key) {
        return writer.submit("reset an idempotency key", tx -> Writes.resetIdempotencyKey(tx, taskId, key));
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<Run> find(String runId) {
        return readers.read("read run " + runId, c -> Reads.find(c, runId));
    }

    @Override
    public RunPage list(RunQuery query) {
        return readers.read("list runs", c -> Reads.list(c, query));
    }

    @Override
    public List<Run> children(String parentId) {
        return readers.read("list children of " + parentId, c -> Reads.children(c, parentId));
    }

    @Override
    public List<Attempt> attempts(String runId) {
        return readers.read("read attempts of " + runId, c -> Reads.attempts(c, runId));
    }

    @Override
    public List<LogLine> logs(String runId) {
        return readers.read("read logs of " + runId, c -> Reads.logs(c, runId));
    }

    @Override
    public List<DeadLetterGroup> deadLetterGroups(String taskId) {
        return readers.read("group dead letters", c -> Reads.deadLetterGroups(c, taskId));
    }

    @Override
    public Map<RunStatus, Long> countByStatus(String queue, String taskId) {
        return readers.read("count runs", c -> Reads.countByStatus(c, queue, taskId));
    }

    @Override
    public List<Attempt> attemptsEndedBetween(Instant from, Instant to, String queue, String taskId, int max) {
        return readers.read("read attempts", c -> Reads.attemptsEndedBetween(c, from, to, queue, taskId, max));
    }

    // ---------------------------------------------------------------- journal

    @Override
    public List<JournalEvent> readJournal(long afterSeq, int max) {
        long last = writer.committedSeq();
        List<JournalEvent> recent = writer.recentEvents(afterSeq, last, max);
        if (recent != null) {
            return recent;
        }
        return readers.read("read the journal", c -> Reads.readJournal(c, afterSeq, last, max));
    }

    @Override
    public long lastSeq() {
        return writer.committedSeq();
    }

    @Override
    public long oldestSeq() {
        long last = writer.committedSeq();
        return readers.read("read the journal", c -> Reads.oldestSeq(c, last));
    }

    @Override
    public long seqAt(Instant at) {
        long last = writer.committedSeq();
        return readers.read("read the journal", c -> Reads.seqAt(c, at, last));
    }

    @Override
    public List<JournalEvent> runEvents(String runId) {
        long last = writer.committedSeq();
        return readers.read("read the events of " + runId, c -> Reads.runEvents(c, runId, last));
    }

    // ---------------------------------------------------------------- wake-ups

    @Override
    public AutoCloseable onWork(Runnable listener) {
        return workListeners.add(listener);
    }

    @Override
    public AutoCloseable onAppend(Runnable listener) {
        return appendListeners.add(listener);
    }

    // ---------------------------------------------------------------- retention

    /** What one pruning pass removed. */
    public record Pruned(int runs, int journalEvents) {
    }

    /**
     * Removes final runs (open dead letters excepted) that ended, and journal events recorded,
     * before {@code now} minus the retention; in short transactions so writers are not held up.
     * The background pruner calls it with the options' clock; it is public for tests and tools.
     */
    public Pruned prune(Instant now) {
        Instant cutoff = now.minus(options.retention());
        int runs = 0;
        int events = 0;
        for (int n; (n = writer.submit("prune old runs", tx -> Writes.pruneRuns(tx, cutoff, PRUNE_BATCH))) > 0; ) {
            runs += n;
        }
        for (int n; (n = writer.submit("prune the journal", tx -> Writes.pruneJournal(tx, cutoff, PRUNE_BATCH * 5))) > 0; ) {
            events += n;
        }
        if (runs + events > 0) {
            writer.submit("give freed pages back", tx -> {
                try (var st = tx.conn().connection().createStatement()) {
                    st.executeUpdate("PRAGMA incremental_vacuum(2000)");
                }
                return null;
            });
        }
        return new Pruned(runs, events);
    }

    private void pruneQuietly() {
        if (closed) {
            return;
        }
        try {
            Pruned p = prune(options.clock().instant());
            if (p.runs() + p.journalEvents() > 0) {
                LOG.debug("{}: pruned {} runs and {} journal events", file.file(), p.runs(), p.journalEvents());
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: pruning failed, will try again: {}", file.file(), e.getMessage());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pruner.shutdownNow();
        try {
            pruner.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workListeners.clear();
        appendListeners.clear();
        writer.close();
        readers.close();
        writerConn.close();
        file.close();
    }
}
