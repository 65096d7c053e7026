package io.taskdeck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.taskdeck.engine.BatchItem;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.QueueOptions;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.store.PostgresRunStore;
import io.taskdeck.engine.store.PostgresStoreOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Taskdeck on PostgreSQL, and db-scheduler on the same database and the same no-op workload:
 * <ul>
 *   <li>{@code postgres.e2e.noop.1_engine}, {@code .3_engines}: from the first batch trigger to the
 *       last run COMPLETED in the store, engines sharing one schema;</li>
 *   <li>{@code postgres.latency.trigger_to_start.p50/p99}: one trigger at a time on idle engines,
 *       from the trigger call to the handler's first line, the trigger sent to each of 3 engines in turn;</li>
 *   <li>{@code dbscheduler.e2e.noop}: db-scheduler (lock-and-fetch polling, its fastest on
 *       PostgreSQL) from the first scheduled instance to the last one executed and removed.</li>
 * </ul>
 * PostgreSQL is an embedded server started here, on the same cores, with PostgreSQL's durable
 * defaults (fsync, synchronous_commit and full_page_writes on, printed as a comment);
 * {@code -Dbench.postgres.durable=false} (in BENCH_JAVA_OPTS) turns them off for both.
 * Diagnostics (BENCH_JAVA_OPTS): {@code -Dbench.postgres.waits=true} (what active backends wait
 * on), {@code -Dbench.postgres.rounds=true} (a line per round, {@link RoundProbe}; with
 * {@code -Dbench.postgres.statements=true} too, each round's costliest statements), and
 * {@code -Dbench.postgres.checkpointBetweenRounds=true} (a CHECKPOINT before each round, outside
 * its time, so that no checkpoint falls inside one; measured, it does not make rounds more alike).
 */
final class PostgresBench {

    private static final int BATCH = 1_000;

    private final int runs;
    private final int latencySamples;
    private final Predicate<String> selected;
    private CpuMeter cpu;

    PostgresBench(Bench.Scale scale, Predicate<String> selected) {
        boolean quick = scale == Bench.Scale.QUICK;
        this.runs = quick ? 5_000 : 50_000;
        this.latencySamples = quick ? 200 : 1_000;
        this.selected = selected;
    }

    void run() throws Exception {
        if (!selected.test("postgres") && !selected.test("dbscheduler")) {
            return;
        }
        // PostgreSQL's own defaults (every commit flushed to disk), not the embedded distribution's
        // (fsync off); -Dbench.postgres.durable=false measures without the disk.
        String durable = Boolean.parseBoolean(System.getProperty("bench.postgres.durable", "true")) ? "on" : "off";
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (RoundProbe.STATEMENTS) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
        }
        try (EmbeddedPostgres pg = builder.setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", durable)
                .setServerConfig("synchronous_commit", durable)
                .setServerConfig("full_page_writes", durable).start()) {
            String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT version(), current_setting('synchronous_commit'), current_setting('fsync'), "
                         + "current_setting('full_page_writes')")) {
                rs.next();
                System.err.printf("# embedded %s; synchronous_commit=%s fsync=%s full_page_writes=%s%n",
                        rs.getString(1).replaceFirst(",.*", ""), rs.getString(2), rs.getString(3), rs.getString(4));
            }
            cpu = new CpuMeter(postmasterPid(pg));
            double oneEngine = 0;
            if (selected.test("postgres.e2e")) {
                try (WaitSampler ignored = WaitSampler.startIfAsked(pg, "postgres.e2e.noop.1_engine")) {
                    oneEngine = taskdeckEndToEnd(url, "td1", 1);
                }
                try (WaitSampler ignored = WaitSampler.startIfAsked(pg, "postgres.e2e.noop.3_engines")) {
                    taskdeckEndToEnd(url, "td3", 3);
                }
            }
            if (selected.test("postgres.latency")) {
                taskdeckLatency(url);
            }
            if (selected.test("dbscheduler")) {
                double peer = dbSchedulerEndToEnd(url);
                if (oneEngine > 0 && peer > 0) {
                    Figures.print("ratio.postgres.e2e.noop.taskdeck_over_dbscheduler", oneEngine / peer, "x");
                }
            }
        }
    }

    private static PostgresStoreOptions.Builder options(String url, String schema) {
        return PostgresStoreOptions.builder(url).credentials("postgres", "postgres").schema(schema).maxPoolSize(8);
    }

    /**
     * Taskdeck's end-to-end figure with {@code nodes} engines: like the in-memory and SQLite ones,
     * the median of {@link EngineBench#MEASURED_ROUNDS} rounds after {@link EngineBench#WARM_UP_ROUNDS}
     * full-size warm-up rounds, so it is the compiled store's throughput and not the JIT's (in a
     * cold JVM, C2 compiling the store's statements takes more CPU than the runs). Each round starts
     * on a fresh schema, dropped after it outside its time.
     */
    private double taskdeckEndToEnd(String url, String schema, int nodes) throws Exception {
        String name = "postgres.e2e.noop." + (nodes == 1 ? "1_engine" : nodes + "_engines");
        for (int round = 0; round < EngineBench.WARM_UP_ROUNDS; round++) {
            taskdeckRound(url, schema, nodes, schema + " w" + (round + 1));
        }
        List<Round> rounds = new ArrayList<>();
        for (int round = 0; round < EngineBench.MEASURED_ROUNDS; round++) {
            rounds.add(taskdeckRound(url, schema, nodes, schema + " m" + (round + 1)));
        }
        return Round.print(name, rounds);
    }

    /** One run's worth of figures: runs/s, and the CPU per run of this JVM and of PostgreSQL. */
    record Round(double perSecond, CpuMeter.Cost cost) {

        /** Prints every round on a comment line and the medians as figures; returns the median runs/s. */
        static double print(String name, List<Round> rounds) {
            double rate = Figures.medianOfRounds(name, rounds.stream().map(Round::perSecond).toList());
            Figures.print(name, rate, "runs/s");
            Figures.print(name + ".cpu.jvm", median(rounds, CpuMeter.Cost::jvmMicros), "us/run");
            Figures.print(name + ".cpu.postgres", median(rounds, CpuMeter.Cost::postgresMicros), "us/run");
            return rate;
        }

        private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<CpuMeter.Cost> of) {
            return Figures.median(rounds.stream().map(r -> of.applyAsDouble(r.cost())).toList());
        }
    }

    private Round taskdeckRound(String url, String schema, int nodes, String label) throws Exception {
        CountDownLatch ran = new CountDownLatch(runs);
        TaskDefinition<JsonNode> noop = TaskDefinition.builder("noop", JsonNode.class)
                .queue(QueueOptions.of("bench", 5_000))
                .handler((p, ctx) -> {
                    ran.countDown();
                    return null;
                }).build();
        List<PostgresRunStore> stores = new ArrayList<>();
        List<Engine> engines = new ArrayList<>();
        RoundProbe probe = null;
        Round result = null;
        if (Boolean.getBoolean("bench.postgres.checkpointBetweenRounds")) {
            try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                 Statement s = c.createStatement()) {
                s.execute("CHECKPOINT");
            }
        }
        try {
            for (int i = 0; i < nodes; i++) {
                PostgresRunStore store = PostgresRunStore.open(options(url, schema).nodeId("n" + i).build());
                stores.add(store);
                engines.add(Engine.builder().store(store).nodeId("n" + i).build().register(noop).start());
            }
            probe = RoundProbe.startIfAsked(url, schema, label, cpu.postmaster);
            CpuMeter.Mark cpuStart = cpu.mark();
            long start = System.nanoTime();
            for (int i = 0; i < runs; i += BATCH) {
                List<BatchItem> items = new ArrayList<>(BATCH);
                for (int j = i; j < Math.min(runs, i + BATCH); j++) {
                    items.add(BatchItem.of("noop", Map.of("n", j)));
                }
                engines.get((i / BATCH) % nodes).batchTrigger(items);
            }
            if (!ran.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + (runs - ran.getCount()) + " of " + runs + " runs started in 10 minutes");
            }
            PostgresRunStore reader = stores.getFirst();
            waitUntil(() -> reader.countByStatus("bench", null).get(RunStatus.COMPLETED) >= runs);
            double rate = Figures.perSecond(runs, System.nanoTime() - start);
            result = new Round(rate, cpu.since(cpuStart, runs));
            if (probe != null) {
                probe.timedEnd();
            }
            return result;
        } finally {
            engines.forEach(e -> e.stop(Duration.ofSeconds(10)));
            stores.forEach(PostgresRunStore::close);
            if (probe != null && result != null) {
                probe.report(result, runs);
            }
            try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private void taskdeckLatency(String url) throws Exception {
        long[] latencies = new long[latencySamples];
        AtomicLong triggeredAt = new AtomicLong();
        CountDownLatch[] started = new CountDownLatch[1];
        TaskDefinition<JsonNode> probe = TaskDefinition.builder("probe", JsonNode.class)
                .queue(QueueOptions.of("probe", 100))
                .handler((p, ctx) -> {
                    latencies[p.path("i").asInt()] = System.nanoTime() - triggeredAt.get();
                    started[0].countDown();
                    return null;
                }).build();
        List<PostgresRunStore> stores = new ArrayList<>();
        List<Engine> engines = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                PostgresRunStore store = PostgresRunStore.open(options(url, "lat").nodeId("l" + i).build());
                stores.add(store);
                engines.add(Engine.builder().store(store).nodeId("l" + i).build().register(probe).start());
            }
            for (int i = 0; i < latencySamples; i++) {
                started[0] = new CountDownLatch(1);
                triggeredAt.set(System.nanoTime());
                engines.get(i % 3).trigger("probe", Map.of("i", i));
                if (!started[0].await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("probe run " + i + " did not start within 30 s");
                }
                Thread.sleep(2);  // let the engines go idle again: this measures pickup from idle
            }
            Figures.print("postgres.latency.trigger_to_start.p50", Figures.quantile(latencies, latencySamples, 0.50) / 1e6, "ms");
            Figures.print("postgres.latency.trigger_to_start.p99", Figures.quantile(latencies, latencySamples, 0.99) / 1e6, "ms");
        } finally {
            engines.forEach(e -> e.stop(Duration.ofSeconds(10)));
            stores.forEach(PostgresRunStore::close);
        }
    }

    /**
     * With {@code -Dbench.postgres.waits=true}: samples pg_stat_activity every 5 ms while a
     * workload runs and prints, as comments, what the active backends were waiting on.
     */
    static final class WaitSampler implements AutoCloseable {
        private final Thread thread;
        private final String name;
        private final Map<String, Long> counts = new java.util.TreeMap<>();
        private volatile boolean done;

        private WaitSampler(EmbeddedPostgres pg, String name) {
            this.name = name;
            this.thread = Thread.ofPlatform().daemon().name("wait-sampler").start(() -> sample(pg));
        }

        static WaitSampler startIfAsked(EmbeddedPostgres pg, String name) {
            return Boolean.getBoolean("bench.postgres.waits") ? new WaitSampler(pg, name) : null;
        }

        private void sample(EmbeddedPostgres pg) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                while (!done) {
                    try (ResultSet rs = s.executeQuery("SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') || ' ' "
                            + "|| left(regexp_replace(query, '\\s+', ' ', 'g'), 60) FROM pg_stat_activity "
                            + "WHERE state = 'active' AND pid <> pg_backend_pid() AND application_name LIKE 'taskdeck%'")) {
                        while (rs.next()) {
                            counts.merge(rs.getString(1), 1L, Long::sum);
                        }
                    }
                    Thread.sleep(5);
                }
            } catch (SQLException | InterruptedException e) {
                System.err.println("# wait sampler stopped: " + e.getMessage());
            }
        }

        @Override
        public void close() throws InterruptedException {
            done = true;
            thread.join();
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            System.err.println("# " + name + ": active backend samples by wait event and statement (" + total + ")");
            counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                    .forEach(e -> System.err.printf("#   %5d  %s%n", e.getValue(), e.getKey()));
        }
    }

    /**
     * With {@code -Dbench.postgres.rounds=true}: one comment line per round (warm-up rounds too)
     * saying what might make rounds differ: CPU per run of this JVM and of PostgreSQL, the latter
     * also by process kind (backends, checkpointer, background and WAL writers, autovacuum, stats
     * collector); WAL per run (bytes from the WAL position, records and full-page images from
     * pg_stat_wal), transactions; checkpoints (pg_stat_bgwriter, whether a checkpoint's redo point
     * fell inside the round, what the checkpointer was doing in 50 ms samples); autovacuum workers
     * seen in those samples and the round's tables' autovacuum/autoanalyze counts; the catalog's
     * size; GC, JIT time and this JVM's minor page faults; the machine's CPU ticks and disk writes.
     * Statistics of PostgreSQL 14 reach the views up to ~0.5 s late, so the end of a round is read
     * after the engines closed and a 0.6 s pause, before its schema is dropped: the probe changes
     * the spacing of rounds, never their timed part. See POSTGRES.md, "Why rounds differ".
     */
    static final class RoundProbe {
        /** With {@code -Dbench.postgres.statements=true} as well: the round's costliest statements (pg_stat_statements). */
        static final boolean STATEMENTS = Boolean.getBoolean("bench.postgres.rounds") && Boolean.getBoolean("bench.postgres.statements");
        private static final java.lang.management.CompilationMXBean JIT = java.lang.management.ManagementFactory.getCompilationMXBean();
        private final Connection c;
        private final String label;
        private final String schema;
        private final Map<String, Long> start;
        private final long gcMillis;
        private final long gcCount;
        private final long jitMillis;
        private final Thread sampler;
        private final Map<String, Long> autovacuum = new java.util.TreeMap<>();
        private volatile boolean sampling = true;
        private long samples;
        private long checkpointerBusy;
        private String endLsn;
        private Map<String, Long> ticksEnd;
        private final long[] machineStart;
        private long[] machineEnd;
        private final long faultsStart;
        private long faultsEnd;

        private final long postmaster;
        private final Map<String, Long> processTicks;
        private final Map<String, Long> checkpointerWaits = new java.util.TreeMap<>();

        private RoundProbe(String url, String schema, String label, long postmaster) throws SQLException {
            this.postmaster = postmaster;
            this.processTicks = processTicks();
            this.machineStart = machine();
            this.faultsStart = jvmMinorFaults();
            this.c = java.sql.DriverManager.getConnection(url, "postgres", "postgres");
            this.label = label;
            this.schema = schema;
            if (STATEMENTS) {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
                    st.execute("SELECT pg_stat_statements_reset()");
                }
            }
            this.start = snapshot();
            this.gcMillis = gc(true);
            this.gcCount = gc(false);
            this.jitMillis = JIT.getTotalCompilationTime();
            String samplerUrl = url;
            this.sampler = Thread.ofPlatform().daemon().name("round-probe").start(() -> sample(samplerUrl));
        }

        static RoundProbe startIfAsked(String url, String schema, String label, long postmaster) throws SQLException {
            if (!Boolean.getBoolean("bench.postgres.rounds")) {
                return null;
            }
            if (!settingsPrinted) {
                settingsPrinted = true;
                try (Connection c = java.sql.DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ' ' ORDER BY name) FROM pg_settings "
                             + "WHERE name IN ('shared_buffers', 'max_wal_size', 'min_wal_size', 'checkpoint_timeout', "
                             + "'checkpoint_completion_target', 'autovacuum', 'autovacuum_naptime', 'bgwriter_lru_maxpages', 'wal_buffers')")) {
                    rs.next();
                    System.out.println("# round probe settings: " + rs.getString(1));
                }
            }
            return new RoundProbe(url, schema, label, postmaster);
        }

        private static boolean settingsPrinted;

        /** The machine's CPU ticks (user, system, idle, iowait, steal) and the disks' sectors written and ms spent writing. */
        private static long[] machine() {
            long[] m = new long[7];
            try {
                String[] cpu = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).getFirst().trim().split("\\s+");
                m[0] = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]);
                m[1] = Long.parseLong(cpu[3]) + Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]);
                m[2] = Long.parseLong(cpu[4]);
                m[3] = Long.parseLong(cpu[5]);
                m[4] = Long.parseLong(cpu[8]);
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/diskstats"))) {
                    String[] f = line.trim().split("\\s+");
                    if (f[2].matches("vd[a-z]|sd[a-z]|nvme\\d+n\\d+")) {
                        m[5] += Long.parseLong(f[9]);
                        m[6] += Long.parseLong(f[10]);
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                // leave zeros
            }
            return m;
        }

        /** Minor page faults of this JVM (a first touch of a heap page is one). */
        private static long jvmMinorFaults() {
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
                return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
            } catch (java.io.IOException | RuntimeException e) {
                return 0;
            }
        }

        /** CPU ticks of PostgreSQL's processes by kind; exited backends are in the postmaster's children time. */
        private Map<String, Long> processTicks() {
            Map<String, Long> m = new java.util.TreeMap<>();
            m.put("exited", CpuMeter.ticks(postmaster, true) - CpuMeter.ticks(postmaster, false));
            for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of())) {
                String kind;
                try {
                    String title = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + child.pid() + "/cmdline"));
                    kind = title.contains("checkpointer") ? "ckpt" : title.contains("background writer") ? "bgw"
                            : title.contains("walwriter") ? "walw" : title.contains("stats collector") ? "stats"
                            : title.contains("autovacuum") ? "autovac" : title.contains("postgres postgres") ? "backend" : "other";
                } catch (java.io.IOException e) {
                    kind = "gone";
                }
                m.merge(kind, CpuMeter.ticks(child.pid(), false), Long::sum);
            }
            return m;
        }

        private static long gc(boolean time) {
            long sum = 0;
            for (var bean : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                sum += Math.max(0, time ? bean.getCollectionTime() : bean.getCollectionCount());
            }
            return sum;
        }

        private void sample(String url) {
            try (Connection s = java.sql.DriverManager.getConnection(url, "postgres", "postgres"); Statement st = s.createStatement()) {
                while (sampling) {
                    try (ResultSet rs = st.executeQuery("SELECT backend_type, coalesce(wait_event, 'CPU'), "
                            + "regexp_replace(coalesce(query, ''), '^autovacuum: ', '') FROM pg_stat_activity "
                            + "WHERE backend_type IN ('autovacuum worker', 'checkpointer')")) {
                        samples++;
                        while (rs.next()) {
                            if (rs.getString(1).equals("checkpointer")) {
                                checkpointerWaits.merge(rs.getString(2), 1L, Long::sum);
                                if (!rs.getString(2).equals("CheckpointerMain")) {
                                    checkpointerBusy++;
                                }
                            } else {
                                autovacuum.merge(rs.getString(3), 1L, Long::sum);
                            }
                        }
                    }
                    Thread.sleep(50);
                }
            } catch (SQLException | InterruptedException e) {
                System.out.println("# round probe sampler stopped: " + e.getMessage());
            }
        }

        /** Counters as of now; WAL positions as bytes. */
        private Map<String, Long> snapshot() throws SQLException {
            Map<String, Long> m = new java.util.LinkedHashMap<>();
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_stat_clear_snapshot()");
                try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0', redo_lsn - '0/0', "
                        + "w.wal_records, w.wal_fpi, w.wal_bytes, w.wal_sync, "
                        + "(SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()), "
                        + "b.checkpoints_timed, b.checkpoints_req, b.buffers_checkpoint, b.buffers_backend, b.buffers_clean, "
                        + "pg_relation_size('pg_catalog.pg_class'), pg_relation_size('pg_catalog.pg_attribute'), "
                        + "pg_relation_size('pg_catalog.pg_depend'), pg_relation_size('pg_catalog.pg_type'), "
                        + "(SELECT n_dead_tup FROM pg_stat_sys_tables WHERE relid = 'pg_catalog.pg_attribute'::regclass) "
                        + "FROM pg_stat_wal w, pg_stat_bgwriter b, pg_control_checkpoint()")) {
                    rs.next();
                    String[] names = {"lsn", "redo", "records", "fpi", "walbytes", "walsync", "xacts", "ckpt_timed", "ckpt_req", "buf_ckpt",
                            "buf_backend", "buf_clean", "pg_class", "pg_attribute", "pg_depend", "pg_type", "pg_attribute_dead"};
                    for (int i = 0; i < names.length; i++) {
                        m.put(names[i], rs.getLong(i + 1));
                    }
                }
            }
            return m;
        }

        /** At the end of the round's timed part. */
        void timedEnd() throws SQLException, InterruptedException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'")) {
                rs.next();
                endLsn = rs.getString(1);
            }
            ticksEnd = processTicks();
            machineEnd = machine();
            faultsEnd = jvmMinorFaults();
            sampling = false;
            sampler.join();
        }

        /** After the engines closed, before the schema is dropped. */
        void report(Round round, long runs) throws SQLException, InterruptedException {
            Thread.sleep(600);
            Map<String, Long> end = snapshot();
            StringBuilder cpuByKind = new StringBuilder();
            for (String kind : ticksEnd.keySet()) {
                cpuByKind.append(String.format(Locale.ROOT, " %s %.1f", kind,
                        (ticksEnd.get(kind) - processTicks.getOrDefault(kind, 0L)) * 1e4 / runs));
            }
            long wal = Long.parseLong(endLsn) - start.get("lsn");
            boolean redoInside = end.get("redo") > start.get("lsn");
            StringBuilder tables = new StringBuilder();
            try (java.sql.PreparedStatement p = c.prepareStatement("SELECT relname, autovacuum_count, autoanalyze_count, n_dead_tup "
                    + "FROM pg_stat_all_tables WHERE schemaname = ? AND (autovacuum_count + autoanalyze_count) > 0 ORDER BY relname")) {
                p.setString(1, schema);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        tables.append(String.format(Locale.ROOT, " %s v%d/a%d", rs.getString(1), rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
            if (STATEMENTS) {
                try (java.sql.PreparedStatement p = c.prepareStatement("SELECT calls, total_exec_time, total_plan_time, shared_blks_hit, "
                        + "shared_blks_read, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) FROM pg_stat_statements "
                        + "WHERE query NOT LIKE '%pg_stat%' ORDER BY total_exec_time DESC LIMIT 8")) {
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            System.out.printf(Locale.ROOT, "#   %s stmt: %6d calls %6.2f us/run exec %5.2f plan, %6.2f blks hit/run %d read, %7.1f rows/call  %s%n",
                                    label, rs.getLong(1), rs.getDouble(2) * 1e3 / runs, rs.getDouble(3) * 1e3 / runs,
                                    (double) rs.getLong(4) / runs, rs.getLong(5), (double) rs.getLong(6) / Math.max(1, rs.getLong(1)), rs.getString(7));
                        }
                    }
                }
            }
            long avSamples = autovacuum.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf(Locale.ROOT, "# round %s: %.0f runs/s cpu jvm %.1f pg %.1f us/run | wal %.0f B/run (stat %.0f) rec %.1f fpi %.3f /run"
                            + " | ckpt timed+%d req+%d redo-in-round %s busy %d/%d samples, bufs ckpt %d backend %d clean %d"
                            + " | autovacuum samples %d%s; done:%s | catalog KB class %d attribute %d (dead %d) depend %d type %d"
                            + " | gc %d / %d ms, jit %d ms, jvm minor faults %d | pg cpu us/run by process:%s | checkpointer waits %s"
                            + " | machine ticks user %d sys %d idle %d iowait %d steal %d, disk %d MB written %d ms, wal fsyncs %d, transactions %d%n",
                    label, round.perSecond(), round.cost().jvmMicros(), round.cost().postgresMicros(),
                    (double) wal / runs, (double) d(end, "walbytes") / runs, (double) d(end, "records") / runs,
                    (double) d(end, "fpi") / runs,
                    d(end, "ckpt_timed"), d(end, "ckpt_req"), redoInside ? "yes" : "no", checkpointerBusy, samples,
                    d(end, "buf_ckpt"), d(end, "buf_backend"), d(end, "buf_clean"),
                    avSamples, autovacuum.isEmpty() ? "" : " " + autovacuum, tables.isEmpty() ? " none" : tables.toString(),
                    start.get("pg_class") / 1024, start.get("pg_attribute") / 1024, start.get("pg_attribute_dead"),
                    start.get("pg_depend") / 1024, start.get("pg_type") / 1024,
                    gc(false) - gcCount, gc(true) - gcMillis, JIT.getTotalCompilationTime() - jitMillis, faultsEnd - faultsStart, cpuByKind, checkpointerWaits,
                    machineEnd[0] - machineStart[0], machineEnd[1] - machineStart[1], machineEnd[2] - machineStart[2],
                    machineEnd[3] - machineStart[3], machineEnd[4] - machineStart[4], (machineEnd[5] - machineStart[5]) / 2048,
                    machineEnd[6] - machineStart[6], d(end, "walsync"), d(end, "xacts"));
            c.close();
        }

        private long d(Map<String, Long> end, String key) {
            return end.get(key) - start.get(key);
        }
    }

    /** The embedded server's postmaster: the parent of any backend. */
    private static long postmasterPid(EmbeddedPostgres pg) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
        }
    }

    /**
     * CPU time of this JVM and of the PostgreSQL server (postmaster, its live processes, and the
     * backends that already exited, which the kernel adds to the postmaster's children time), so a
     * figure can say what a run cost besides how fast they went on a shared machine.
     */
    static final class CpuMeter {
        private static final double TICK_NS = 1e9 / 100;  // USER_HZ, 100 on Linux
        private final long postmaster;

        CpuMeter(long postmaster) {
            this.postmaster = postmaster;
        }

        record Mark(long jvmNanos, long postgresNanos) {
        }

        Mark mark() {
            long jvm = ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            long pg = 0;
            if (postmaster > 0) {
                pg = ticks(postmaster, true);
                for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.children().toList()).orElse(List.of())) {
                    pg += ticks(child.pid(), false);
                }
            }
            return new Mark(jvm, (long) (pg * TICK_NS));
        }

        /** CPU per run since a mark; PostgreSQL's is 0 when its processes could not be found. */
        Cost since(Mark from, long runs) {
            Mark to = mark();
            return new Cost((to.jvmNanos() - from.jvmNanos()) / 1e3 / runs,
                    (to.postgresNanos() - from.postgresNanos()) / 1e3 / runs);
        }

        record Cost(double jvmMicros, double postgresMicros) {
        }

        /** utime + stime (+ cutime + cstime) of a process, in clock ticks; 0 if it is gone. */
        private static long ticks(long pid, boolean withChildren) {
            try {
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // fields from the state on: utime is field 14 of the line, index 11 here
                long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                return withChildren ? t + Long.parseLong(f[13]) + Long.parseLong(f[14]) : t;
            } catch (java.io.IOException | RuntimeException e) {
                return 0;
            }
        }
    }

    /** db-scheduler's PostgreSQL table, as its documentation gives it. */
    private static final String DB_SCHEDULER_TABLE = """
            CREATE SCHEMA dbscheduler;
            CREATE TABLE dbscheduler.scheduled_tasks (
                task_name text NOT NULL,
                task_instance text NOT NULL,
                task_data bytea,
                execution_time timestamptz NOT NULL,
                picked boolean NOT NULL,
                picked_by text,
                last_success timestamptz,
                last_failure timestamptz,
                consecutive_failures int,
                last_heartbeat timestamptz,
                version bigint NOT NULL,
                priority smallint,
                PRIMARY KEY (task_name, task_instance));
            CREATE INDEX execution_time_idx ON dbscheduler.scheduled_tasks (execution_time);
            CREATE INDEX last_heartbeat_idx ON dbscheduler.scheduled_tasks (last_heartbeat);
            CREATE INDEX priority_execution_time_idx ON dbscheduler.scheduled_tasks (priority DESC, execution_time ASC);
            """;

    private double dbSchedulerEndToEnd(String url) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setPassword("postgres");
        config.setMaximumPoolSize(16);
        config.addDataSourceProperty("currentSchema", "dbscheduler");
        try (HikariDataSource ds = new HikariDataSource(config)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute(DB_SCHEDULER_TABLE);
            }
            LongAdder executed = new LongAdder();
            OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, ctx) -> executed.increment());
            Scheduler scheduler = Scheduler.create(ds, noop)
                    .threads(50)
                    .pollUsingLockAndFetch(0.5, 1.0)
                    .pollingInterval(Duration.ofMillis(50))
                    .enableImmediateExecution()
                    .build();
            scheduler.start();
            try {
                // The same rounds as Taskdeck's, so both are compared warm.
                for (int round = 0; round < EngineBench.WARM_UP_ROUNDS; round++) {
                    dbSchedulerRound(scheduler, noop, executed, ds);
                }
                List<Round> rounds = new ArrayList<>();
                for (int round = 0; round < EngineBench.MEASURED_ROUNDS; round++) {
                    rounds.add(dbSchedulerRound(scheduler, noop, executed, ds));
                }
                return Round.print("dbscheduler.e2e.noop", rounds);
            } finally {
                scheduler.stop();
            }
        }
    }

    /** Schedules {@code runs} no-op instances in batches and waits until all ran and were removed. */
    private Round dbSchedulerRound(Scheduler scheduler, OneTimeTask<Void> noop, LongAdder executed, HikariDataSource ds)
            throws InterruptedException {
        executed.reset();
        CpuMeter.Mark cpuStart = cpu.mark();
        long start = System.nanoTime();
        Instant now = Instant.now();
        for (int i = 0; i < runs; i += BATCH) {
            List<TaskInstance<?>> batch = new ArrayList<>(BATCH);
            for (int j = i; j < Math.min(runs, i + BATCH); j++) {
                batch.add(noop.instance("n" + j));
            }
            scheduler.scheduleBatch(batch, now);
        }
        waitUntil(() -> executed.sum() >= runs && remaining(ds) == 0);
        return new Round(Figures.perSecond(runs, System.nanoTime() - start), cpu.since(cpuStart, runs));
    }

    private static long remaining(HikariDataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM scheduled_tasks")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("counting db-scheduler's remaining executions failed", e);
        }
    }

    /** Polls every 5 ms for at most 10 minutes: the end of a benchmark, not a test's synchronization. */
    private static void waitUntil(Supplier<Boolean> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!done.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the workload did not finish in 10 minutes");
            }
            Thread.sleep(5);
        }
    }
}
