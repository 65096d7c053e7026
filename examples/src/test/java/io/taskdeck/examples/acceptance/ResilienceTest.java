package io.taskdeck.examples.acceptance;

import io.taskdeck.engine.DeadLetterGroup;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.JournalSubscription;
import io.taskdeck.engine.RequeueOptions;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.TriggerOptions;
import io.taskdeck.engine.TriggerResult;
import io.taskdeck.examples.DemoEngine;
import io.taskdeck.examples.DemoPayloads.Payment;
import io.taskdeck.examples.DemoPayloads.PaymentDeadLetter;
import io.taskdeck.examples.DemoPayloads.Report;
import io.taskdeck.examples.DemoPayloads.WelcomeEmail;
import io.taskdeck.examples.DemoPayloads.WorkspaceCacheRefresh;
import io.taskdeck.examples.DemoPayloads.WorkspaceUpdate;
import io.taskdeck.examples.DemoStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.taskdeck.examples.DemoTasks.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The seed's five resilience reasons, each measured on the demo tasks. */
class ResilienceTest {

    /** 1. The queue as a buffer: triggers succeed while the consumer is down or paused, and nothing is lost. */
    @Test
    void triggersAreKeptWhileTheConsumerIsDownAndRunAfterItComesBack() throws Exception {
        try (DemoEngine d = new DemoEngine()) {
            // the worker is not started: the consumer is down
            List<String> whileDown = triggerReports(d, "down_", 10);
            assertThat(whileDown).allSatisfy(id -> assertThat(d.engine.run(id).orElseThrow().status()).isEqualTo(RunStatus.QUEUED));

            d.start();
            d.awaitCount(PROCESS_REPORT, RunStatus.COMPLETED, 10);

            // paused by an operator: still accepted, none started
            d.engine.queues().pause(PROCESS_REPORT);
            List<String> whilePaused = triggerReports(d, "paused_", 20);
            d.watcher.awaitQuiet();
            assertThat(d.gauge(PROCESS_REPORT).finished()).isEqualTo(10);
            assertThat(d.count(PROCESS_REPORT, RunStatus.QUEUED)).isEqualTo(20);

            d.engine.queues().resume(PROCESS_REPORT);
            d.awaitCount(PROCESS_REPORT, RunStatus.COMPLETED, 30);
            Set<String> expected = new java.util.HashSet<>();
            for (int i = 0; i < 10; i++) {
                expected.add("down_" + i);
            }
            for (int i = 0; i < 20; i++) {
                expected.add("paused_" + i);
            }
            assertThat(d.store.reportsGenerated()).isEqualTo(expected);
            assertThat(whilePaused).hasSize(20);
        }
    }

    /**
     * 2. Fire and forget: with every report slot stuck in a slow handler, the producer's triggers
     * all return, and an unrelated workload keeps flowing.
     */
    @Test
    void aSlowConsumerBlocksNeitherItsProducerNorOtherWork() throws Exception {
        try (DemoEngine d = new DemoEngine().start()) {
            long slow = Duration.ofMinutes(1).toMillis();   // well within the task's 10 minute maxDuration
            for (int i = 0; i < 5; i++) {
                d.engine.trigger(PROCESS_REPORT, new Report("slow_" + i, slow));
            }
            d.awaitInFlight(PROCESS_REPORT, 5);

            List<TriggerResult> returned = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                returned.add(d.engine.trigger(PROCESS_REPORT, new Report("more_" + i, slow)));
            }
            // every trigger call came back while the five handlers were still inside their minute
            assertThat(returned).hasSize(100).doesNotContainNull();
            assertThat(d.gauge(PROCESS_REPORT).inFlight()).isEqualTo(5);
            assertThat(d.gauge(PROCESS_REPORT).finished()).isZero();
            assertThat(d.count(PROCESS_REPORT, RunStatus.QUEUED)).isEqualTo(100);

            for (int i = 0; i < 10; i++) {
                d.engine.trigger(SEND_WELCOME_EMAIL, new WelcomeEmail("user_" + i, "u" + i + "@example.com"));
            }
            d.awaitCount(SEND_WELCOME_EMAIL, RunStatus.COMPLETED, 10);
            assertThat(d.gauge(PROCESS_REPORT).finished()).isZero();

            // and the backlog drains at five a minute once time passes
            for (int minute = 1; minute <= 21; minute++) {
                d.awaitSleeping(5);
                d.clock.advance(Duration.ofMinutes(1));
                d.awaitFinished(PROCESS_REPORT, minute * 5L);
            }
            d.awaitCount(PROCESS_REPORT, RunStatus.COMPLETED, 105);
            assertThat(d.store.reportsGenerated()).hasSize(105);
        }
    }

    /** 3. Idempotency: a retried or repeated welcome mail goes out once. */
    @Test
    void aRetriedOrRepeatedWelcomeEmailIsSentOnce() {
        try (DemoEngine d = new DemoEngine().start()) {
            // the worker crashes right after sending, twice; the third attempt finishes
            String crashing = d.engine.trigger(SEND_WELCOME_EMAIL, new WelcomeEmail("user_1", "ada@example.com", 2)).runId();
            Run done = d.settle(crashing);
            assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
            // the retry found the mail recorded and stopped there
            assertThat(done.attempts()).isEqualTo(2);
            assertThat(done.output()).contains("skipped");
            assertThat(d.store.mailsTo("user_1")).hasSize(1);

            // a duplicate trigger (a new run) for the same user is a no-op
            Run duplicate = d.await(d.engine.trigger(SEND_WELCOME_EMAIL, new WelcomeEmail("user_1", "ada@example.com")).runId(),
                    RunStatus.COMPLETED);
            assertThat(duplicate.output()).contains("skipped");
            assertThat(d.store.mailsTo("user_1")).hasSize(1);

            // with an idempotency key the repeat does not even make a run
            TriggerOptions once = TriggerOptions.builder().idempotencyKey("welcome-user_2").build();
            TriggerResult first = d.engine.trigger(SEND_WELCOME_EMAIL, new WelcomeEmail("user_2", "bob@example.com"), once);
            TriggerResult again = d.engine.trigger(SEND_WELCOME_EMAIL, new WelcomeEmail("user_2", "bob@example.com"), once);
            assertThat(again.cached()).isTrue();
            assertThat(again.runId()).isEqualTo(first.runId());
            d.await(first.runId(), RunStatus.COMPLETED);
            assertThat(d.store.mailsTo("user_2")).hasSize(1);
        }
    }

    /**
     * 4. Retries and a dead-letter path: a poison payment does not hold up the others; after its
     * retries it is a dead letter with its payment-dead-letter record, and requeued with a fixed
     * payload it goes through.
     */
    @Test
    void aPoisonPaymentIsRetriedThenDeadLetteredWithoutStoppingTheOthers() throws Exception {
        try (DemoEngine d = new DemoEngine().start()) {
            String poison = d.engine.trigger(PROCESS_PAYMENT, new Payment("pay_bad", -5)).runId();
            List<String> good = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                good.add(d.engine.trigger(PROCESS_PAYMENT, new Payment("pay_" + i, 10 + i)).runId());
            }
            // the good ones finish while the poison waits for its first retry (the clock has not moved)
            good.forEach(id -> d.await(id, RunStatus.COMPLETED));
            Run waiting = d.engine.run(poison).orElseThrow();
            assertThat(waiting.isRetryPending()).isTrue();
            assertThat(waiting.attempts()).isEqualTo(1);

            Run dead = d.settle(poison);
            assertThat(dead.status()).isEqualTo(RunStatus.FAILED);
            assertThat(dead.attempts()).isEqualTo(3);
            assertThat(d.store.declines()).hasSize(3);
            assertThat(d.store.charges()).hasSize(20).doesNotContainKey("pay_bad");

            List<DeadLetterGroup> groups = d.engine.deadLetters().groups(PROCESS_PAYMENT);
            assertThat(groups).hasSize(1);
            assertThat(groups.getFirst().fingerprint()).isEqualTo(dead.fingerprint());
            assertThat(d.engine.deadLetters().list(dead.fingerprint(), null, 10).runs()).extracting(Run::id).containsExactly(poison);

            d.awaitCount(PAYMENT_DEAD_LETTER, RunStatus.COMPLETED, 1);
            assertThat(d.store.paymentDeadLetters()).singleElement().satisfies(record -> {
                assertThat(record.originalPayload()).isEqualTo(new Payment("pay_bad", -5));
                assertThat(record.error()).contains("card declined");
                assertThat(record.failedRunId()).isEqualTo(poison);
            });
            // every payment, the poison too, was scored once despite the retries
            d.awaitCount(FRAUD_DETECTION, RunStatus.COMPLETED, 21);

            // the on-call engineer fixes the amount and requeues
            d.engine.deadLetters().requeue(poison, RequeueOptions.withPayload("{\"paymentId\":\"pay_bad\",\"amount\":5}"));
            Run fixed = d.await(poison, RunStatus.COMPLETED);
            assertThat(fixed.attempts()).isEqualTo(4);
            assertThat(d.store.charges()).containsKey("pay_bad");
            assertThat(d.engine.deadLetters().groups(PROCESS_PAYMENT)).isEmpty();
        }
    }

    /**
     * 5. Replay: projections rebuilt from the journal equal the live ones — a run-status board
     * kept live from the journal, and the workspace cache after it was lost.
     */
    @Test
    void projectionsRebuiltFromTheJournalEqualTheLiveOnes() throws Exception {
        try (DemoEngine d = new DemoEngine().start()) {
            StatusBoard live = new StatusBoard();
            JournalSubscription subscription = d.engine.journal().subscribe(0, events -> events.forEach(live::apply));
            try {
                List<String> runs = new ArrayList<>();
                runs.add(d.engine.trigger(PROCESS_PAYMENT, new Payment("pay_bad", -1)).runId());
                for (int i = 0; i < 10; i++) {
                    runs.add(d.engine.trigger(PROCESS_PAYMENT, new Payment("pay_" + i, i * 1_000)).runId());
                    String ws = "ws_" + i % 3;
                    runs.add(d.engine.trigger(UPDATE_WORKSPACE, new WorkspaceUpdate(ws, Map.of("step", i)),
                            TriggerOptions.builder().concurrencyKey(ws).build()).runId());
                }
                d.settle(Duration.ofSeconds(1), runs);
                d.awaitCount(UPDATE_WORKSPACE_CACHE, RunStatus.COMPLETED, 10);
                d.awaitCount(PAYMENT_DEAD_LETTER, RunStatus.COMPLETED, 1);
                d.awaitCount(FRAUD_DETECTION, RunStatus.COMPLETED, 11);
                d.awaitCount(ALERT_FRAUD_TEAM, RunStatus.COMPLETED, 1);
                d.watcher.awaitQuiet();
                long last = d.engine.journal().lastSeq();
                assertThat(live.awaitSeq(last, DemoEngine.FAIL_AFTER)).as("live board reached seq %d", last).isTrue();

                StatusBoard rebuilt = new StatusBoard();
                d.engine.journal().replay(Instant.EPOCH, d.clock.now().plusMillis(1), rebuilt::apply);
                assertThat(rebuilt.statuses).isEqualTo(live.statuses).hasSize(live.statuses.size());
                assertThat(rebuilt.counts()).isEqualTo(live.counts());
                // and both say what the store says
                live.statuses.forEach((id, status) -> assertThat(d.engine.run(id).orElseThrow().status()).isEqualTo(status));

                // disaster: the cache is lost; replaying the completed refreshes in journal order rebuilds it
                Map<String, DemoStore.CachedWorkspace> before = d.store.workspaceCache();
                d.store.clearWorkspaceCache(UPDATE_WORKSPACE_CACHE);
                assertThat(d.store.workspaceCache()).isEmpty();
                d.engine.journal().replay(Instant.EPOCH, d.clock.now().plusMillis(1), e -> {
                    if (UPDATE_WORKSPACE_CACHE.equals(e.taskId()) && e.to() == RunStatus.COMPLETED) {
                        Run refresh = d.engine.run(e.runId()).orElseThrow();
                        WorkspaceCacheRefresh payload = read(d, refresh.payload(), WorkspaceCacheRefresh.class);
                        d.store.refreshWorkspaceCache(UPDATE_WORKSPACE_CACHE, payload.workspaceId());
                    }
                });
                assertThat(d.store.workspaceCache()).isEqualTo(before).hasSize(3);
            } finally {
                subscription.close();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> triggerReports(DemoEngine d, String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(d.engine.trigger(PROCESS_REPORT, new Report(prefix + i)).runId());
        }
        return ids;
    }

    private static <T> T read(DemoEngine d, String json, Class<T> type) {
        try {
            return d.engine.mapper().readValue(json, type);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A projection: each run's status, from journal events alone. */
    static final class StatusBoard {
        final Map<String, RunStatus> statuses = new HashMap<>();
        private long seq;

        synchronized void apply(JournalEvent e) {
            if (e.runId() != null && e.to() != null) {
                statuses.put(e.runId(), e.to());
            }
            seq = e.seq();
            notifyAll();
        }

        synchronized boolean awaitSeq(long target, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (seq < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        synchronized Map<RunStatus, Long> counts() {
            return new TreeMap<>(statuses.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting())));
        }
    }
}
