package io.taskdeck.engine.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.engine.BatchItem;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.Percentiles;
import io.taskdeck.engine.QueueOptions;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.store.ClaimRequest;
import io.taskdeck.engine.store.PostgresRunStore;
import io.taskdeck.engine.store.Transition;
import io.taskdeck.engine.store.PostgresStoreOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Figures, not assertions: end-to-end no-op throughput with 1 and 3 engines, and pickup latency
 * (trigger call to handler start) on idle engines. Run with
 * {@code ./mvnw -B -o -pl engine test -Dtest=PostgresBench -Dbench=true}.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "bench", matches = "true")
class PostgresBench {

    private static final int RUNS = Integer.getInteger("bench.runs", 30_000);

    @Test
    void throughputOneEngine() throws Exception {
        throughput(1);
    }

    @Test
    void throughputThreeEngines() throws Exception {
        throughput(3);
    }

    private void throughput(int nodes) throws Exception {
        PostgresStoreOptions shared = TestPostgres.freshSchema().maxPoolSize(8).build();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(RUNS);
        TaskDefinition<JsonNode> noop = TaskDefinition.builder("noop", JsonNode.class)
                .queue(QueueOptions.of("bench", 5_000))
                .handler((p, ctx) -> {
                    done.incrementAndGet();
                    ran.countDown();
                    return null;
                }).build();
        List<PostgresRunStore> stores = new ArrayList<>();
        List<Engine> engines = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            PostgresRunStore s = PostgresRunStore.open(shared.toBuilder().nodeId("b" + i).build());
            stores.add(s);
            engines.add(Engine.builder().store(s).nodeId("b" + i).build().register(noop).start());
        }
        long start = System.nanoTime();
        int batch = 1_000;
        for (int i = 0; i < RUNS; i += batch) {
            List<BatchItem> items = new ArrayList<>(batch);
            for (int j = 0; j < batch && i + j < RUNS; j++) {
                items.add(BatchItem.of("noop", Map.of("n", i + j)));
            }
            engines.get((i / batch) % nodes).batchTrigger(items);
        }
        long triggered = System.nanoTime();
        ran.await(5, TimeUnit.MINUTES);
        PostgresRunStore reader = stores.getFirst();
        while (reader.countByStatus("bench", null).get(RunStatus.COMPLETED) < RUNS) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        long end = System.nanoTime();
        double secs = (end - start) / 1e9;
        System.out.printf("BENCH postgres e2e no-op, %d engine(s): %d runs in %.2f s = %.0f runs/s (triggering took %.2f s)%n",
                nodes, RUNS, secs, RUNS / secs, (triggered - start) / 1e9);
        engines.forEach(e -> e.stop(Duration.ofSeconds(10)));
        stores.forEach(PostgresRunStore::close);
    }

    @Test
    void pickupLatency() throws Exception {
        int samples = 2_000;
        long[] latencies = new long[samples];
        CountDownLatch[] started = new CountDownLatch[1];
        long[] triggeredAt = new long[1];
        TaskDefinition<JsonNode> probe = TaskDefinition.builder("probe", JsonNode.class)
                .queue(QueueOptions.of("probe", 100))
                .handler((p, ctx) -> {
                    latencies[p.path("i").asInt()] = System.nanoTime() - triggeredAt[0];
                    started[0].countDown();
                    return null;
                }).build();
        PostgresStoreOptions shared = TestPostgres.freshSchema().build();
        List<PostgresRunStore> stores = new ArrayList<>();
        List<Engine> engines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PostgresRunStore s = PostgresRunStore.open(shared.toBuilder().nodeId("p" + i).build());
            stores.add(s);
            engines.add(Engine.builder().store(s).nodeId("p" + i).build().register(probe).start());
        }
        // Trigger from a node that does not run the task's queue work first, so most pickups cross nodes.
        for (int i = 0; i < samples; i++) {
            started[0] = new CountDownLatch(1);
            triggeredAt[0] = System.nanoTime();
            engines.get(i % 3).trigger("probe", Map.of("i", i));
            started[0].await(10, TimeUnit.SECONDS);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        for (int i = 0; i < samples; i++) {
            latencies[i] = TimeUnit.NANOSECONDS.toMicros(latencies[i]);
        }
        Percentiles p = Percentiles.of(latencies);
        System.out.printf("BENCH postgres pickup latency (trigger call to handler start, 3 engines, idle): "
                + "p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d runs%n", p.p50() / 1e3, p.p99() / 1e3, p.max() / 1e3, samples);
        engines.forEach(e -> e.stop(Duration.ofSeconds(10)));
        stores.forEach(PostgresRunStore::close);
    }

    /**
     * The store alone, one thread, no engine: what one batch of each step costs (insert 1,000,
     * claim 500, complete 500), so a change to one statement shows in its own figure.
     */
    @Test
    void storeSteps() {
        int rounds = Math.max(1, RUNS / 1_000);
        try (PostgresRunStore store = PostgresRunStore.open(TestPostgres.freshSchema().build())) {
            Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
            store.ensureQueue("bench", 100_000, 1, t0);
            long insertNs = 0, claimNs = 0, completeNs = 0;
            int n = 0;
            for (int round = 0; round < rounds; round++) {
                List<Run> batch = new ArrayList<>(1_000);
                for (int i = 0; i < 1_000; i++, n++) {
                    batch.add(Run.builder(String.format("run_%012d", n), "noop", "bench", t0.plusMillis(n))
                            .payload("{\"n\":" + n + "}").status(RunStatus.QUEUED).maxAttempts(3).build());
                }
                Instant now = t0.plusMillis(n);
                long s = System.nanoTime();
                store.insert(batch, now);
                insertNs += System.nanoTime() - s;
                for (int half = 0; half < 2; half++) {
                    s = System.nanoTime();
                    List<Run> claimed = store.claim(new ClaimRequest("n1", Set.of("noop"), 500, now, now.plusSeconds(30)));
                    claimNs += System.nanoTime() - s;
                    List<Transition> done = new ArrayList<>(claimed.size());
                    for (Run r : claimed) {
                        done.add(Transition.of(r.id(), RunStatus.COMPLETED, RunStatus.EXECUTING).heldBy("n1")
                                .atAttempt(r.attempts()).output("null").closeAttempt(AttemptOutcome.SUCCEEDED).build());
                    }
                    s = System.nanoTime();
                    store.apply(done, now);
                    completeNs += System.nanoTime() - s;
                }
            }
            System.out.printf("BENCH postgres store steps over %d runs: insert %.1f us/run, claim %.1f us/run, "
                    + "complete %.1f us/run, total %.0f runs/s on one thread%n", n, insertNs / 1e3 / n, claimNs / 1e3 / n,
                    completeNs / 1e3 / n, n / ((insertNs + claimNs + completeNs) / 1e9));
        }
    }
}
