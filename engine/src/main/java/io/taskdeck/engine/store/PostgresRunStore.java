package io.taskdeck.engine.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import io.taskdeck.engine.store.postgres.Claims;
import io.taskdeck.engine.store.postgres.Db;
import io.taskdeck.engine.store.postgres.JournalWriter;
import io.taskdeck.engine.store.postgres.Nodes;
import io.taskdeck.engine.store.postgres.Notifier;
import io.taskdeck.engine.store.postgres.PostgresStoreException;
import io.taskdeck.engine.store.postgres.Reads;
import io.taskdeck.engine.store.postgres.RunRows;
import io.taskdeck.engine.store.postgres.Writes;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store in PostgreSQL that several nodes share: the distributed deployment of Taskdeck.
 *
 * <ul>
 *   <li>Limits hold across nodes: a claim locks the rows of the queues it draws from, counts the
 *       slots in use, and takes due runs with {@code FOR UPDATE SKIP LOCKED}, in one transaction.</li>
 *   <li>The journal is one gap-free sequence for every node (see {@code JournalWriter}).</li>
 *   <li>Wake-ups cross nodes with LISTEN/NOTIFY; while that connection is down, listeners are polled.</li>
 *   <li>With a {@code nodeId} the store registers its node, heartbeats on the database's clock, and
 *       ends the leases of nodes that went silent so the others rescue their runs at once.</li>
 * </ul>
 *
 * Batched calls take one transaction each. Idempotency keys are unique per task across nodes.
 */
public final class PostgresRunStore implements RunStore {

    /** Where the Flyway migrations of this store live on the class path. */
    public static final String MIGRATIONS = "classpath:io/taskdeck/engine/store/postgres";

    private final PostgresStoreOptions options;
    private final HikariDataSource pool;
    private final Db db;
    private final Writes writes;
    private final Claims claims;
    private final Reads reads;
    private final Nodes nodes;
    private final Notifier notifier;
    private final StoreListeners workListeners = new StoreListeners();
    private final StoreListeners appendListeners = new StoreListeners();
    /** The latest "now" the engine passed in: timers after it are what nextDueAt reports. */
    private final AtomicLong lastNow = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean closed;

    private PostgresRunStore(PostgresStoreOptions options) {
        this.options = options;
        this.pool = new HikariDataSource(poolConfig(options));
        boolean ok = false;
        try {
            if (options.migrate()) {
                migrate(pool, options.schema());
            }
            String where = safeUrl(options.jdbcUrl()) + " schema " + options.schema();
            this.db = new Db(pool, where);
            JournalWriter.Channels channels = new JournalWriter.Channels("taskdeck_work_" + options.schema(),
                    "taskdeck_journal_" + options.schema(), UUID.randomUUID().toString());
            JournalWriter journal = new JournalWriter(channels);
            this.writes = new Writes(db, journal);
            this.claims = new Claims(db, journal);
            this.reads = new Reads(db);
            this.notifier = new Notifier(this::openListenConnection, channels,
                    options.fallbackPollInterval().toMillis(), workListeners, appendListeners);
            this.nodes = new Nodes(db, options, workListeners::fire);
            ok = true;
        } finally {
            if (!ok) {
                pool.close();
            }
        }
    }

    /**
     * Opens the store: connects, migrates the schema (unless told not to), starts listening for
     * other nodes and, with a node id, registers the node and starts its heartbeat.
     */
    public static PostgresRunStore open(PostgresStoreOptions options) {
        PostgresRunStore store = new PostgresRunStore(options);
        store.notifier.start();
        try {
            store.notifier.awaitConnected(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.nodes.start();
        return store;
    }

    /** Creates or upgrades the schema; several nodes may do it at once (Flyway takes a lock). */
    public static void migrate(javax.sql.DataSource dataSource, String schema) {
        Flyway.configure()
                .loggers("slf4j")
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .table("td_schema_history")
                .locations(MIGRATIONS)
                .load()
                .migrate();
    }

    private static HikariConfig poolConfig(PostgresStoreOptions o) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(o.jdbcUrl());
        c.setUsername(o.username());
        c.setPassword(o.password());
        c.setMaximumPoolSize(o.maxPoolSize());
        c.setMinimumIdle(Math.min(2, o.maxPoolSize()));
        c.setAutoCommit(false);
        c.setConnectionTimeout(10_000);
        c.setInitializationFailTimeout(10_000);
        c.setPoolName("taskdeck-pg" + (o.nodeId() == null ? "" : "-" + o.nodeId()));
        c.addDataSourceProperty("currentSchema", o.schema());
        c.addDataSourceProperty("reWriteBatchedInserts", "true");
        c.addDataSourceProperty("ApplicationName", "taskdeck" + (o.nodeId() == null ? "" : " " + o.nodeId()));
        c.addDataSourceProperty("tcpKeepAlive", "true");
        return c;
    }

    private Connection openListenConnection() throws SQLException {
        Properties p = new Properties();
        if (options.username() != null) p.setProperty("user", options.username());
        if (options.password() != null) p.setProperty("password", options.password());
        p.setProperty("ApplicationName", "taskdeck-listen" + (options.nodeId() == null ? "" : " " + options.nodeId()));
        p.setProperty("connectTimeout", "5");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(options.jdbcUrl(), p);
    }

    private static String safeUrl(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    public PostgresStoreOptions options() {
        return options;
    }

    // ------------------------------------------------------------------ listeners

    private <T> T afterWrite(T result, boolean journaled, boolean work) {
        if (journaled) {
            appendListeners.fire();
        }
        if (work) {
            workListeners.fire();
        }
        return result;
    }

    private void sawNow(Instant now) {
        long ms = now.toEpochMilli();
        lastNow.accumulateAndGet(ms, Math::max);
    }

    private Instant lastNow() {
        long ms = lastNow.get();
        return ms == Long.MIN_VALUE ? Instant.EPOCH : Instant.ofEpochMilli(ms);
    }

    // ------------------------------------------------------------------ queues

    @Override
    public QueueState ensureQueue(String name, int concurrencyLimit, int concurrencyKeyLimit, Instant now) {
        return afterWrite(writes.ensureQueue(name, concurrencyLimit, concurrencyKeyLimit, lastNow()), false, true);
    }

    @Override
    public QueueState updateQueue(String name, QueueUpdate update, Instant now) {
        return afterWrite(writes.updateQueue(name, update, now, lastNow()), true, true);
    }

    @Override
    public Optional<QueueState> queue(String name) {
        return reads.queues(name, lastNow()).stream().findFirst();
    }

    @Override
    public List<QueueState> queues() {
        return reads.queues(null, lastNow());
    }

    // ------------------------------------------------------------------ run writes

    @Override
    public List<InsertResult> insert(List<Run> runs, Instant now) {
        List<InsertResult> out = writes.insert(runs, now);
        boolean fresh = out.stream().anyMatch(r -> !r.cached());
        return afterWrite(out, fresh, fresh);
    }

    @Override
    public List<Run> claim(ClaimRequest request) {
        sawNow(request.now());
        List<Run> out = claims.claim(request);
        return afterWrite(out, !out.isEmpty(), false);
    }

    /**
     * Both in one transaction, so one commit and one journal append: the transitions, then the
     * claim, then the journal (see {@code Writes.applyAndClaim} for the lock order). Should that
     * transaction fail, nothing of it was kept: the transitions are saved on their own, then the
     * claim is tried again (and throws, if it must).
     */
    @Override
    public SavedAndClaimed saveAndClaim(List<Transition> transitions, Instant now, ClaimRequest claim) {
        if (transitions.isEmpty() || claim == null) {
            return RunStore.super.saveAndClaim(transitions, now, claim);
        }
        sawNow(claim.now());
        Writes.AppliedAndClaimed done;
        try {
            done = writes.applyAndClaim(transitions, now, claims, claim);
        } catch (RuntimeException e) {
            return RunStore.super.saveAndClaim(transitions, now, claim);
        }
        return afterWrite(done.result(), done.journaled(), done.work());
    }

    @Override
    public List<Run> resume(String nodeId, List<String> runIds, Instant now, Instant leaseUntil) {
        sawNow(now);
        List<Run> out = claims.resume(nodeId, runIds, now, leaseUntil);
        return afterWrite(out, !out.isEmpty(), false);
    }

    @Override
    public List<TransitionResult> apply(List<Transition> transitions, Instant now) {
        Writes.Applied applied = writes.apply(transitions, now);
        return afterWrite(applied.results(), applied.journaled(), applied.journaled());
    }

    @Override
    public List<Run> promoteDue(Instant now, int max) {
        sawNow(now);
        Writes.Promoted promoted = writes.promoteDue(now, max);
        return afterWrite(promoted.changed(), !promoted.changed().isEmpty(), promoted.queued());
    }

    @Override
    public Optional<Instant> nextDueAt() {
        return reads.nextDueAt(lastNow());
    }

    @Override
    public List<Run> expiredLeases(Instant now, int max) {
        return reads.expiredLeases(now, max);
    }

    @Override
    public List<String> renewLeases(String nodeId, Collection<String> runIds, Instant leaseUntil) {
        return writes.renewLeases(nodeId, runIds, leaseUntil);
    }

    @Override
    public void appendLogs(List<LogLine> lines) {
        writes.appendLogs(lines);
    }

    @Override
    public boolean resetIdempotencyKey(String taskId, String key) {
        return writes.resetIdempotencyKey(taskId, key);
    }

    // ------------------------------------------------------------------ reads

    @Override
    public Optional<Run> find(String runId) {
        return reads.find(runId);
    }

    @Override
    public RunPage list(RunQuery query) {
        return reads.list(query);
    }

    @Override
    public List<Run> children(String parentId) {
        return reads.runs("SELECT " + RunRows.COLUMNS + " FROM td_run WHERE parent_id = ? ORDER BY created_at, id", parentId);
    }

    @Override
    public List<Attempt> attempts(String runId) {
        return reads.attempts(runId);
    }

    @Override
    public List<LogLine> logs(String runId) {
        return reads.logs(runId);
    }

    @Override
    public List<DeadLetterGroup> deadLetterGroups(String taskId) {
        return reads.deadLetterGroups(taskId);
    }

    @Override
    public Map<RunStatus, Long> countByStatus(String queue, String taskId) {
        return reads.countByStatus(queue, taskId);
    }

    @Override
    public List<Attempt> attemptsEndedBetween(Instant from, Instant to, String queue, String taskId, int max) {
        return reads.attemptsEndedBetween(from, to, queue, taskId, max);
    }

    // ------------------------------------------------------------------ journal

    @Override
    public List<JournalEvent> readJournal(long afterSeq, int max) {
        return reads.readJournal(afterSeq, max);
    }

    @Override
    public long lastSeq() {
        return reads.lastSeq();
    }

    @Override
    public long oldestSeq() {
        return reads.oldestSeq();
    }

    @Override
    public long seqAt(Instant at) {
        return reads.seqAt(at);
    }

    @Override
    public List<JournalEvent> runEvents(String runId) {
        return reads.runEvents(runId);
    }

    /**
     * Drops journal events older than the newest {@code keep}; returns how many went. Readers
     * behind the new oldest seq are told to resync, as with the memory store's ring.
     */
    public long trimJournal(long keep) {
        return writes.trimJournal(keep);
    }

    // ------------------------------------------------------------------ nodes

    /** Every node that ever registered with this store, with its heartbeat and running runs. */
    @Override
    public List<NodeInfo> nodes() {
        return nodes.list();
    }

    /**
     * One registry pass now, as the heartbeat thread does: heartbeat this node, end the leases of
     * nodes silent past the timeout. Returns how many leases it ended.
     */
    public int heartbeatNow() {
        return nodes.beat();
    }

    /** Whether the LISTEN connection is up (false: other nodes' wake-ups come by polling). */
    public boolean isListening() {
        return notifier.isConnected();
    }

    // ------------------------------------------------------------------ wake-ups

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
        if (closed) {
            return;
        }
        closed = true;
        try {
            nodes.close();
        } catch (PostgresStoreException ignored) {
            // the node is marked lost by the others instead
        }
        notifier.close();
        workListeners.clear();
        appendListeners.clear();
        pool.close();
    }

    @Override
    public String toString() {
        return "PostgresRunStore[" + safeUrl(options.jdbcUrl()) + " schema " + options.schema() + "]";
    }

}
