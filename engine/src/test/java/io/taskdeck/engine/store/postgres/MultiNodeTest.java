package io.taskdeck.engine.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.QueueOptions;
import io.taskdeck.engine.RetryPolicy;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.TriggerOptions;
import io.taskdeck.engine.store.NodeInfo;
import io.taskdeck.engine.store.PostgresRunStore;
import io.taskdeck.engine.store.PostgresStoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Three engines, each with its own store and pool, on one PostgreSQL schema. */
class MultiNodeTest {

    private final List<Engine> engines = new ArrayList<>();
    private final List<PostgresRunStore> stores = new ArrayList<>();

    @AfterEach
    void stop() {
        engines.forEach(e -> e.stop(Duration.ofSeconds(5)));
        stores.forEach(PostgresRunStore::close);
    }

    private PostgresRunStore node(PostgresStoreOptions shared, String nodeId) {
        PostgresRunStore store = PostgresRunStore.open(shared.toBuilder().nodeId(nodeId).build());
        stores.add(store);
        return store;
    }

    private Engine engine(PostgresRunStore store, String nodeId, Duration lease, TaskDefinition<?> task) {
        Engine e = Engine.builder().store(store).nodeId(nodeId).leaseDuration(lease).build().register(task);
        engines.add(e);
        return e;
    }

    /** Waits for a condition the test cannot be told about directly (a state in the shared database). */
    private static void eventually(Duration limit, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Test
    void limitsHoldAcrossNodesAndKeyedRunsKeepTriggerOrder() {
        int limit = 5;
        int total = 600;
        AtomicInteger executing = new AtomicInteger();
        AtomicInteger maxExecuting = new AtomicInteger();
        Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
        AtomicInteger maxPerKey = new AtomicInteger();
        Map<String, List<String>> startedByKey = new ConcurrentHashMap<>();
        AtomicInteger executions = new AtomicInteger();
        TaskDefinition<JsonNode> work = TaskDefinition.builder("work", JsonNode.class)
                .queue(QueueOptions.of("limited", limit))
                .retry(RetryPolicy.NONE)
                .handler((p, ctx) -> {
                    executions.incrementAndGet();
                    int now = executing.incrementAndGet();
                    maxExecuting.accumulateAndGet(now, Math::max);
                    String key = p.path("key").isMissingNode() ? null : p.path("key").asText();
                    if (key != null) {
                        int k = perKey.computeIfAbsent(key, x -> new AtomicInteger()).incrementAndGet();
                        maxPerKey.accumulateAndGet(k, Math::max);
                        startedByKey.computeIfAbsent(key, x -> new CopyOnWriteArrayList<>()).add(p.path("id").asText());
                    }
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));  // overlap, so the limit is exercised
                    if (key != null) {
                        perKey.get(key).decrementAndGet();
                    }
                    executing.decrementAndGet();
                    return p;
                })
                .build();

        PostgresStoreOptions shared = TestPostgres.freshSchema().build();
        for (int i = 1; i <= 3; i++) {
            engine(node(shared, "n" + i), "n" + i, Duration.ofSeconds(30), work).start();
        }

        // One thread triggers through the three engines in turn: each key's runs get increasing
        // trigger times, whichever node recorded them.
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            Engine via = engines.get(i % 3);
            String key = i % 2 == 0 ? "acct-" + (i % 10) : null;
            TriggerOptions options = key == null ? TriggerOptions.NONE : TriggerOptions.builder().concurrencyKey(key).build();
            Map<String, Object> payload = key == null ? Map.of("id", "" + i) : Map.of("id", "" + i, "key", key);
            ids.add(via.trigger("work", payload, options).runId());
        }

        PostgresRunStore reader = stores.getFirst();
        eventually(Duration.ofSeconds(90), () -> reader.countByStatus("limited", null).get(RunStatus.COMPLETED) == total,
                "all " + total + " runs completed");

        assertThat(maxExecuting.get()).as("runs of the queue executing at once, all nodes together").isLessThanOrEqualTo(limit);
        assertThat(maxPerKey.get()).as("runs of one concurrency key executing at once").isEqualTo(1);
        assertThat(executions.get()).as("every run executed exactly once").isEqualTo(total);
        for (String id : ids) {
            Run r = reader.find(id).orElseThrow();
            assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(r.attempts()).isEqualTo(1);
        }
        // Per key, runs started in the store's trigger order (created time, then id).
        for (var entry : startedByKey.entrySet()) {
            List<Run> keyed = new ArrayList<>();
            for (String id : ids) {
                Run r = reader.find(id).orElseThrow();
                if (entry.getKey().equals(r.concurrencyKey())) {
                    keyed.add(r);
                }
            }
            keyed.sort(Comparator.comparingLong(Run::orderKey).thenComparing(Run::id));
            List<String> expected = keyed.stream().map(r -> payloadId(r)).toList();
            assertThat(entry.getValue()).as("start order of key " + entry.getKey()).containsExactlyElementsOf(expected);
        }
        // One journal for all nodes, gap-free: trigger, claim, completion of every run.
        List<JournalEvent> events = new ArrayList<>();
        long after = 0;
        List<JournalEvent> page;
        while (!(page = stores.get(2).readJournal(after, 5000)).isEmpty()) {
            events.addAll(page);
            after = page.getLast().seq();
        }
        assertThat(events).hasSize(3 * total);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).isEqualTo(i + 1);
        }
        assertThat(reader.nodes()).extracting(NodeInfo::nodeId).containsExactly("n1", "n2", "n3");
        assertThat(reader.nodes()).allSatisfy(n -> assertThat(n.state()).isEqualTo(NodeInfo.State.LIVE));
    }

    private static String payloadId(Run r) {
        int at = r.payload().indexOf("\"id\":\"") + 6;
        return r.payload().substring(at, r.payload().indexOf('"', at));
    }

    @Test
    void runsOfANodeThatStopsHeartbeatingAreRescuedByTheOthers() {
        CountDownLatch firstAttemptStarted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        List<String> ranOn = new CopyOnWriteArrayList<>();
        TaskDefinition<JsonNode> sticky = TaskDefinition.builder("sticky", JsonNode.class)
                .retry(RetryPolicy.attempts(3))
                .handler((p, ctx) -> {
                    ranOn.add(ctx.run().nodeId());
                    if (ctx.attempt() == 1) {
                        firstAttemptStarted.countDown();
                        never.await();  // the node will vanish with this attempt running
                    }
                    return p;
                }).build();
        PostgresStoreOptions shared = TestPostgres.freshSchema()
                .heartbeatInterval(Duration.ofMillis(200)).nodeTimeout(Duration.ofSeconds(1)).build();
        PostgresRunStore lostStore = node(shared, "lost");
        Engine lost = engine(lostStore, "lost", Duration.ofMinutes(5), sticky).start();
        String runId = lost.trigger("sticky", Map.of()).runId();
        try {
            assertThat(firstAttemptStarted.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        // The node goes silent: no heartbeat, no lease renewal (its lease would last five minutes).
        lostStore.close();
        PostgresRunStore survivorStore = node(shared, "survivor");
        engine(survivorStore, "survivor", Duration.ofSeconds(3), sticky).start();

        eventually(Duration.ofSeconds(30), () -> survivorStore.find(runId).orElseThrow().status() == RunStatus.COMPLETED,
                "the survivor rescued and completed the run");
        Run done = survivorStore.find(runId).orElseThrow();
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(survivorStore.attempts(runId)).extracting(a -> a.nodeId()).containsExactly("lost", "survivor");
        List<NodeInfo> nodes = survivorStore.nodes();
        assertThat(nodes).extracting(NodeInfo::nodeId).containsExactly("lost", "survivor");
        assertThat(nodes.get(0).runningRuns()).isZero();
        assertThat(nodes.get(1).state()).isEqualTo(NodeInfo.State.LIVE);
        never.countDown();
    }
}
