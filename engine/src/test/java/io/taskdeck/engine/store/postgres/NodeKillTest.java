package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.BatchItem;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.TriggerOptions;
import io.taskdeck.engine.store.PostgresRunStore;
import io.taskdeck.engine.store.PostgresStoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three node JVMs share one schema under load; nodes are killed with SIGKILL and restarted
 * several times. Afterwards every acknowledged trigger has completed, and a replay of the
 * shared journal (one commit-ordered sequence for all nodes) shows the queue never ran more
 * than its limit at once, nor a concurrency key more than one run, and each key's runs first
 * started in trigger order.
 */
class NodeKillTest {

    private final Map<String, Process> nodes = new LinkedHashMap<>();

    @AfterEach
    void stopNodes() {
        nodes.values().forEach(Process::destroyForcibly);
    }

    /**
     * Waits until the node holds a run, so that killing it cuts an attempt off. The other nodes
     * may drain the queue before this one (just started or restarted) claims anything, and then
     * it would wait for work that never comes: while nothing is queued, it triggers a few more
     * unkeyed runs, acknowledged like the rest.
     */
    private static void awaitHolding(PostgresRunStore store, Engine client, String nodeId, List<String> acknowledged) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.nodes().stream().noneMatch(n -> n.nodeId().equals(nodeId) && n.runningRuns() > 0)) {
            assertThat(System.nanoTime()).as(nodeId + " holds a run within 30 s").isLessThan(deadline);
            if (store.countByStatus(NodeProcess.QUEUE, null).get(RunStatus.QUEUED) == 0) {
                List<BatchItem> more = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    more.add(new BatchItem("job", java.util.Map.of("n", 100_000 + acknowledged.size()), TriggerOptions.NONE));
                }
                client.batchTrigger(more).runs().forEach(r -> acknowledged.add(r.runId()));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    @Test
    void killedNodesLoseNothingAndLimitsHoldThroughout() throws Exception {
        PostgresStoreOptions base = TestPostgres.freshSchema().build();
        String url = base.jdbcUrl();
        String schema = base.schema();
        Path logs = Files.createDirectories(Path.of("target", "pg-nodes"));
        PostgresRunStore store = PostgresRunStore.open(NodeProcess.options(url, schema, "client").toBuilder().nodeId(null).build());
        try {
            // The client only triggers: an engine that is never started claims nothing.
            Engine client = Engine.builder().store(store).nodeId("client").build().register(NodeProcess.job());
            for (String id : List.of("k1", "k2", "k3")) {
                nodes.put(id, NodeProcess.start(url, schema, id, logs.resolve(schema + "-" + id + ".log")));
            }
            List<String> acknowledged = new ArrayList<>();
            String[] order = {"k1", "k2", "k3", "k1"};
            for (int round = 0; round < 8; round++) {
                List<BatchItem> items = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int n = round * 100 + i;
                    TriggerOptions o = n % 2 == 0 ? TriggerOptions.builder().concurrencyKey("key-" + (n % 6)).build()
                            : TriggerOptions.NONE;
                    items.add(new BatchItem("job", java.util.Map.of("n", n), o));
                }
                client.batchTrigger(items).runs().forEach(r -> acknowledged.add(r.runId()));
                if (round % 2 == 1) {
                    String victim = order[round / 2];
                    awaitHolding(store, client, victim, acknowledged);
                    nodes.get(victim).destroyForcibly().waitFor(10, TimeUnit.SECONDS);  // SIGKILL
                    nodes.put(victim, NodeProcess.start(url, schema, victim, logs.resolve(schema + "-" + victim + ".log")));
                }
            }

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (store.countByStatus(NodeProcess.QUEUE, null).get(RunStatus.COMPLETED) < acknowledged.size()) {
                assertThat(System.nanoTime()).as("all runs completed within 120 s").isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            Map<String, Run> runs = new HashMap<>();
            for (String id : acknowledged) {
                Run r = store.find(id).orElseThrow();
                assertThat(r.status()).as(id).isEqualTo(RunStatus.COMPLETED);
                runs.put(id, r);
            }
            assertThat(runs).hasSize(acknowledged.size()).hasSizeGreaterThanOrEqualTo(800);
            assertThat(store.attemptsEndedBetween(java.time.Instant.EPOCH, java.time.Instant.now().plusSeconds(60),
                    NodeProcess.QUEUE, null, 10_000)).extracting(a -> a.outcome().name())
                    .as("some attempts were cut off by the kills").contains("CRASHED");

            // Replay the journal in seq order: slots held per queue and per key never exceed the limits.
            List<JournalEvent> events = new ArrayList<>();
            long after = 0;
            List<JournalEvent> page;
            while (!(page = store.readJournal(after, 10_000)).isEmpty()) {
                events.addAll(page);
                after = page.getLast().seq();
            }
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).seq()).isEqualTo(i + 1);
            }
            int executing = 0;
            int maxExecuting = 0;
            Map<String, Integer> perKey = new HashMap<>();
            int maxPerKey = 0;
            Map<String, List<String>> firstStarts = new HashMap<>();
            Set<String> started = new HashSet<>();
            for (JournalEvent e : events) {
                Run r = e.runId() == null ? null : runs.get(e.runId());
                if (r == null) {
                    continue;
                }
                String key = r.concurrencyKey();
                if (e.to() == RunStatus.EXECUTING) {
                    executing++;
                    maxExecuting = Math.max(maxExecuting, executing);
                    if (key != null) {
                        int k = perKey.merge(key, 1, Integer::sum);
                        maxPerKey = Math.max(maxPerKey, k);
                        if (started.add(r.id())) {
                            firstStarts.computeIfAbsent(key, x -> new ArrayList<>()).add(r.id());
                        }
                    }
                } else if (e.from() == RunStatus.EXECUTING) {
                    executing--;
                    if (key != null) {
                        perKey.merge(key, -1, Integer::sum);
                    }
                }
            }
            assertThat(maxExecuting).as("queue slots in use at once, all nodes together").isLessThanOrEqualTo(NodeProcess.LIMIT);
            assertThat(maxPerKey).as("runs of one key executing at once").isEqualTo(1);
            for (var entry : firstStarts.entrySet()) {
                List<String> expected = runs.values().stream().filter(r -> entry.getKey().equals(r.concurrencyKey()))
                        .sorted(Comparator.comparingLong(Run::orderKey).thenComparing(Run::id)).map(Run::id).toList();
                assertThat(entry.getValue()).as("first starts of " + entry.getKey()).containsExactlyElementsOf(expected);
            }
        } finally {
            store.close();
        }
    }
}
