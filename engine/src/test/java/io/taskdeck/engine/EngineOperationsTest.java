package io.taskdeck.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.engine.internal.ErrorFingerprint;
import io.taskdeck.engine.store.ClaimRequest;
import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.engine.store.RunStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the on-call engineer and the operator do: dead letters, journal, stats, lost nodes. */
public class EngineOperationsTest extends EngineContract {

    @Override
    protected RunStore createStore() {
        return new MemoryRunStore();
    }

    private void registerCharge() {
        engine.register(TaskDefinition.builder("charge", Order.class).retry(RetryPolicy.NONE)
                .payloadSchema("{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":\"integer\",\"minimum\":0}}}")
                .handler((order, ctx) -> {
                    if (order.amount() > 100) {
                        throw new IllegalStateException("card declined for order " + order.id());
                    }
                    return order.amount();
                }).build());
    }

    private String failedCharge(String orderId) {
        String id = engine.trigger("charge", new Order(orderId, 500)).runId();
        watch.awaitStatus(id, RunStatus.FAILED);
        return id;
    }

    @Test
    void fingerprintNormalizesNumbersUuidsAndIds() {
        assertThat(ErrorFingerprint.normalize("card declined for order 123"))
                .isEqualTo(ErrorFingerprint.normalize("card declined for order 456"));
        assertThat(ErrorFingerprint.normalize("user 3f2504e0-4f89-11d3-9a0c-0305e82c3301 not found"))
                .isEqualTo("user <uuid> not found");
        assertThat(ErrorFingerprint.normalize("run run_01jgfjjz0015r577 failed after 12.5s"))
                .isEqualTo("run <id> failed after <n>s");
        assertThat(ErrorFingerprint.of("t", "E", "timeout after 30s")).isNotEqualTo(ErrorFingerprint.of("t", "E", "connection refused"));
        assertThat(ErrorFingerprint.of("t", "E", "x 1")).isNotEqualTo(ErrorFingerprint.of("u", "E", "x 1"));
    }

    @Test
    void failuresWithTheSameNormalizedErrorGroupTogether() {
        registerCharge();
        engine.start();
        String first = failedCharge("123");
        clock.advance(Duration.ofMinutes(1));
        String second = failedCharge("456");

        List<DeadLetterGroup> groups = engine.deadLetters().groups();
        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.count()).isEqualTo(2);
            assertThat(g.taskId()).isEqualTo("charge");
            assertThat(g.sampleRunId()).isEqualTo(second);
            assertThat(g.sampleMessage()).isEqualTo("card declined for order 456");
            assertThat(g.lastSeen()).isEqualTo(g.firstSeen().plus(Duration.ofMinutes(1)));
        });
        assertThat(engine.deadLetters().list(groups.getFirst().fingerprint(), null, 10).runs())
                .extracting(Run::id).containsExactly(second, first);
    }

    @Test
    void requeueRunsTheDeadLetterAgainWithAnEditedPayloadAndKeepsHistory() {
        registerCharge();
        engine.start();
        String id = failedCharge("123");

        assertThatThrownBy(() -> engine.requeue(id, RequeueOptions.withPayload("{\"id\":\"123\",\"amount\":-5}")))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("$.amount");
        Run requeued = engine.requeue(id, RequeueOptions.withPayload("{\"id\":\"123\",\"amount\":50}"));
        assertThat(requeued.deadLetter()).isEqualTo(DeadLetterState.REQUEUED);

        Run done = watch.awaitStatus(id, RunStatus.COMPLETED);
        assertThat(done.output()).isEqualTo("50");
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(engine.runDetail(id).attempts()).extracting(Attempt::outcome)
                .containsExactly(AttemptOutcome.FAILED, AttemptOutcome.SUCCEEDED);
        assertThat(engine.deadLetters().groups()).isEmpty();
        assertThatThrownBy(() -> engine.requeue(id)).isInstanceOf(IllegalRunStateException.class)
                .hasMessageContaining("COMPLETED");
    }

    @Test
    void requeueToAnotherQueue() {
        registerCharge();
        engine.start();
        String id = failedCharge("1");
        engine.queues();
        Run moved = engine.requeue(id, RequeueOptions.toQueue("retry-lane"));
        assertThat(moved.queue()).isEqualTo("retry-lane");
        watch.awaitStatus(id, RunStatus.FAILED, 2);
        assertThat(engine.run(id).orElseThrow().queue()).isEqualTo("retry-lane");
    }

    @Test
    void replayMakesANewRunFromTheSameInputAndDiscardResolves() {
        registerCharge();
        engine.start();
        String id = failedCharge("9");

        TriggerResult replay = engine.deadLetters().replay(id);
        assertThat(replay.runId()).isNotEqualTo(id);
        Run again = watch.awaitStatus(replay.runId(), RunStatus.FAILED);
        assertThat(again.payload()).isEqualTo(engine.run(id).orElseThrow().payload());

        Run discarded = engine.deadLetters().discard(id);
        assertThat(discarded.deadLetter()).isEqualTo(DeadLetterState.DISCARDED);
        assertThat(discarded.status()).isEqualTo(RunStatus.FAILED);
        assertThat(engine.deadLetters().groups()).singleElement().satisfies(g -> assertThat(g.count()).isEqualTo(1));
        assertThatThrownBy(() -> engine.deadLetters().discard(id)).isInstanceOf(IllegalRunStateException.class);
    }

    @Test
    void bulkRequeueHonoursTheRateLimitReportsProgressAndCanBeAborted() {
        registerCharge();
        engine.start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(failedCharge("o" + i));
        }
        engine.queues().pause(engine.task("charge").orElseThrow().queue().name());

        BulkJob job = engine.deadLetters().bulkRequeue(
                BulkRequeueRequest.matching(RunQuery.builder().taskId("charge").build()).withRatePerSecond(1));
        assertThat(job.progress().total()).isEqualTo(4);
        watch.awaitEvent("first requeue", e -> "requeued".equals(e.detail()));
        assertThat(job.progress().done()).isLessThanOrEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        watch.awaitEvent("second requeue", e -> "requeued".equals(e.detail()) && requeuedCount() == 2);
        job.abort();
        BulkProgress end = job.completion().join();
        assertThat(end.state()).isEqualTo(BulkProgress.State.ABORTED);
        assertThat(end.requeued()).isEqualTo(2);
        assertThat(engine.runs(RunQuery.builder().status(RunStatus.QUEUED).build()).runs()).hasSize(2);
        assertThat(engine.runs(RunQuery.builder().deadLetter(DeadLetterState.OPEN).build()).runs()).hasSize(2);
    }

    private long requeuedCount() {
        return watch.events().stream().filter(e -> "requeued".equals(e.detail())).count();
    }

    @Test
    void bulkRequeueByIdsReportsFailuresPerItem() {
        registerCharge();
        engine.start();
        String a = failedCharge("a");
        BulkProgress end = engine.deadLetters().bulkRequeue(BulkRequeueRequest.ids(List.of(a, "run_missing"))).completion().join();
        assertThat(end.state()).isEqualTo(BulkProgress.State.COMPLETED);
        assertThat(end.requeued()).isEqualTo(1);
        assertThat(end.failed()).isEqualTo(1);
        assertThat(end.lastError()).contains("run_missing");
    }

    @Test
    void journalSubscriberGetsHistoryThenLiveWithoutGapOrDuplicate() {
        engine.register(echo("echo")).start();
        String first = engine.trigger("echo", Map.of()).runId();
        watch.awaitStatus(first, RunStatus.COMPLETED);

        List<JournalEvent> seen = new CopyOnWriteArrayList<>();
        try (JournalSubscription sub = engine.journal().subscribe(0, seen::addAll)) {
            String second = engine.trigger("echo", Map.of()).runId();
            watch.awaitStatus(second, RunStatus.COMPLETED);
            long last = engine.journal().lastSeq();
            awaitCondition("subscriber reaches seq " + last, () -> sub.position() >= last);
            assertThat(sub.isActive()).isTrue();
            assertThat(seen).anySatisfy(e -> assertThat(e.runId()).isEqualTo(second));
        }
        List<Long> seqs = seen.stream().map(JournalEvent::seq).toList();
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(i + 1L);
        }
        assertThat(seen).anySatisfy(e -> assertThat(e.runId()).isEqualTo(first));
    }

    @Test
    void subscriberBehindRetentionIsToldToResync() {
        MemoryRunStore small = new MemoryRunStore(5, 100);
        Engine e = Engine.builder().store(small).clock(clock).build();
        e.register(echo("echo"));
        for (int i = 0; i < 10; i++) {
            e.trigger("echo", Map.of());
        }
        CountDownLatch resync = new CountDownLatch(1);
        long[] oldest = new long[1];
        JournalSubscription sub = e.journal().subscribe(2, new JournalListener() {
            @Override
            public void onEvents(List<JournalEvent> events) {
                throw new AssertionError("must not deliver events after a gap: " + events);
            }

            @Override
            public void onResyncRequired(long oldestSeq) {
                oldest[0] = oldestSeq;
                resync.countDown();
            }
        });
        await(resync);
        assertThat(oldest[0]).isEqualTo(6);
        assertThatThrownBy(() -> e.journal().read(2, 10)).isInstanceOf(JournalTrimmedException.class);
        sub.close();
    }

    @Test
    void replayingTheJournalOverATimeRangeRebuildsAProjection() {
        registerCharge();
        engine.start();
        Instant from = clock.now();
        engine.trigger("charge", new Order("a", 1));
        failedCharge("b");
        String c = engine.trigger("charge", new Order("c", 2)).runId();
        watch.awaitStatus(c, RunStatus.COMPLETED);
        watch.awaitQuiet();
        clock.advance(Duration.ofMinutes(1));
        Instant to = clock.now();
        engine.trigger("charge", new Order("late", 3), TriggerOptions.builder().delay(Duration.ofHours(1)).build());

        Map<String, RunStatus> latest = new HashMap<>();
        engine.journal().replay(from, to, e -> {
            if (e.runId() != null && e.to() != null) {
                latest.put(e.runId(), e.to());
            }
        });
        Map<RunStatus, Long> rebuilt = new EnumMap<>(RunStatus.class);
        latest.values().forEach(s -> rebuilt.merge(s, 1L, Long::sum));
        assertThat(rebuilt).containsExactlyInAnyOrderEntriesOf(Map.of(RunStatus.COMPLETED, 2L, RunStatus.FAILED, 1L));

        Map<RunStatus, Long> now = new EnumMap<>(engine.stats().task("charge").counts());
        now.values().removeIf(v -> v == 0);
        assertThat(now).containsEntry(RunStatus.DELAYED, 1L).containsEntry(RunStatus.COMPLETED, 2L).containsEntry(RunStatus.FAILED, 1L);
    }

    @Test
    void statsReportCountsThroughputAndPercentiles() {
        CountDownLatch[] gates = {gate(), gate()};
        engine.register(TaskDefinition.builder("timed", JsonNode.class).queue(QueueOptions.of("timed", 1)).handler((p, ctx) -> {
            await(gates[p.path("i").asInt()]);
            return null;
        }).build()).start();
        String a = engine.trigger("timed", Map.of("i", 0)).runId();
        String b = engine.trigger("timed", Map.of("i", 1)).runId();
        watch.awaitStatus(a, RunStatus.EXECUTING);
        // A claim reads the clock before its store transaction; on a slow store one still in
        // flight when the clock jumps would record b's start at the old time. Pausing waits for
        // such a claim to finish (both write the queue) and keeps b queued until we resume.
        engine.queues().pause("timed");
        clock.advance(Duration.ofSeconds(2));
        gates[0].countDown();
        watch.awaitStatus(a, RunStatus.COMPLETED);
        engine.queues().resume("timed");
        watch.awaitStatus(b, RunStatus.EXECUTING);
        clock.advance(Duration.ofSeconds(4));
        gates[1].countDown();
        watch.awaitStatus(b, RunStatus.COMPLETED);

        RunStats stats = engine.stats().queue("timed", Duration.ofMinutes(1));
        assertThat(stats.counts().get(RunStatus.COMPLETED)).isEqualTo(2);
        assertThat(stats.executionMs().count()).isEqualTo(2);
        assertThat(stats.executionMs().p50()).isEqualTo(2_000);
        assertThat(stats.executionMs().p99()).isEqualTo(4_000);
        assertThat(stats.waitMs().p99()).isEqualTo(2_000);
        assertThat(stats.attemptsPerSecond()).isEqualTo(2 / 60.0);
        assertThat(stats.completedPerMinute().getLast()).isEqualTo(2);
        assertThat(Percentiles.of(new long[] {5, 1, 3, 2, 4})).isEqualTo(new Percentiles(5, 3, 5, 5, 5));
    }

    @Test
    void runOfALostNodeIsRescuedWhenItsLeaseExpiresAndRetried() {
        engine.register(echo("echo"));
        String id = engine.trigger("echo", Map.of("v", 1)).runId();
        Instant now = clock.now();
        Run claimedByDeadNode = store.claim(new ClaimRequest("dead-node", Set.of("echo"), 1, now, now.plusSeconds(30))).getFirst();
        assertThat(claimedByDeadNode.id()).isEqualTo(id);
        engine.start();

        clock.advance(Duration.ofSeconds(31));
        Run done = watch.awaitStatus(id, RunStatus.COMPLETED);
        assertThat(done.attempts()).isEqualTo(2);
        List<Attempt> attempts = engine.runDetail(id).attempts();
        assertThat(attempts.getFirst().outcome()).isEqualTo(AttemptOutcome.CRASHED);
        assertThat(attempts.getFirst().nodeId()).isEqualTo("dead-node");
        assertThat(attempts.getLast().nodeId()).isEqualTo("node-1");
    }

    @Test
    void runningNodeKeepsItsLeaseAcrossLongAttempts() {
        CountDownLatch release = gate();
        engine.register(TaskDefinition.builder("long", JsonNode.class).handler((p, ctx) -> {
            await(release);
            return "done";
        }).build()).start();
        String id = engine.trigger("long", Map.of()).runId();
        watch.awaitStatus(id, RunStatus.EXECUTING);
        Engine other = newEngine("node-2");
        other.register(TaskDefinition.builder("long", JsonNode.class).handler((p, ctx) -> "stolen").build()).start();

        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofSeconds(10));
            Instant now = clock.now();
            awaitCondition("lease renewed past " + now, () -> store.find(id).orElseThrow().leaseUntil().isAfter(now.plusSeconds(19)));
        }
        Run run = engine.run(id).orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.EXECUTING);
        assertThat(run.nodeId()).isEqualTo("node-1");
        assertThat(run.attempts()).isEqualTo(1);
        release.countDown();
        assertThat(watch.awaitStatus(id, RunStatus.COMPLETED).output()).isEqualTo("\"done\"");
    }

    /**
     * A manual clock that holds the first reading taken by the thread named {@code thread} until
     * {@link #release()}: with the scheduler's thread, that thread starts late, as it can on a
     * loaded machine, after the node has claimed and the clock has moved on.
     */
    private static final class HeldFirstReadingClock extends EngineClock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli());
        private final String thread;
        /** Opened when the thread has come to its first reading (and waits there). */
        final CountDownLatch reading = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        HeldFirstReadingClock(String thread) {
            this.thread = thread;
        }

        @Override
        public long millis() {
            if (reading.getCount() > 0 && Thread.currentThread().getName().equals(thread)) {
                reading.countDown();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return millis.get();
        }

        @Override
        public long realNanosUntil(long deadlineMillis) {
            return deadlineMillis <= millis() ? 0 : Long.MAX_VALUE;
        }

        Instant advance(Duration by) {
            long now = millis.addAndGet(by.toMillis());
            fireAdvanced();
            return Instant.ofEpochMilli(now);
        }

        void release() {
            released.countDown();
        }
    }

    @Test
    void nodeWhoseSchedulerFellBehindTheClockRenewsTheRunsItIsExecutingInsteadOfCrashingThem() {
        // The scheduler plans its first heartbeat a third of a lease after its first reading of the
        // clock. Taken after the claim and a jump of the clock, that reading put the heartbeat after
        // the claimed lease's end, and the pass's rescue crashed the run this node was executing.
        HeldFirstReadingClock late = new HeldFirstReadingClock("taskdeck-scheduler-node-late");
        CountDownLatch release = gate();
        Engine node = Engine.builder().store(store).clock(late).nodeId("node-late").random(() -> 0.5).build();
        node.register(TaskDefinition.builder("long", JsonNode.class).retry(RetryPolicy.NONE).handler((p, ctx) -> {
            await(release);
            return "done";
        }).build());
        try (RunWatcher lateWatch = new RunWatcher(node)) {
            node.start();
            await(late.reading);
            String id = node.trigger("long", Map.of()).runId();
            lateWatch.awaitStatus(id, RunStatus.EXECUTING);
            Instant jumped = late.advance(Duration.ofMinutes(10));
            late.release();

            awaitCondition("the scheduler's first pass renewed or took back " + id, () -> {
                Run r = store.find(id).orElseThrow();
                return r.status() != RunStatus.EXECUTING || r.leaseUntil().isAfter(jumped);
            });
            Run run = store.find(id).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.EXECUTING);
            assertThat(run.nodeId()).isEqualTo("node-late");
            assertThat(run.leaseUntil()).isEqualTo(jumped.plusSeconds(30));
            release.countDown();
            assertThat(lateWatch.awaitStatus(id, RunStatus.COMPLETED).attempts()).isEqualTo(1);
            assertThat(lateWatch.statuses(id)).containsExactly(RunStatus.QUEUED, RunStatus.EXECUTING, RunStatus.COMPLETED);
        } finally {
            late.release();
            release.countDown();
            node.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void lostRunWithoutAttemptsLeftCrashes() {
        engine.register(TaskDefinition.builder("once", JsonNode.class).retry(RetryPolicy.NONE).handler((p, ctx) -> null).build());
        String id = engine.trigger("once", Map.of()).runId();
        Instant now = clock.now();
        store.claim(new ClaimRequest("dead-node", Set.of("once"), 1, now, now.plusSeconds(30)));
        engine.start();
        clock.advance(Duration.ofSeconds(31));
        Run crashed = watch.awaitStatus(id, RunStatus.CRASHED);
        assertThat(crashed.error().type()).isEqualTo("LeaseExpiredError");
        assertThat(crashed.deadLetter()).isEqualTo(DeadLetterState.OPEN);
    }

    @Test
    void runDetailShowsAttemptsLogsEventsAndUnknownRunsAreNamed() {
        engine.register(echo("echo")).start();
        String id = engine.trigger("echo", Map.of()).runId();
        watch.awaitStatus(id, RunStatus.COMPLETED);
        RunDetail detail = engine.runDetail(id);
        assertThat(detail.events()).extracting(JournalEvent::to)
                .containsExactly(RunStatus.QUEUED, RunStatus.EXECUTING, RunStatus.COMPLETED);
        assertThat(detail.parent()).isNull();
        assertThatThrownBy(() -> engine.runDetail("run_nope")).isInstanceOf(UnknownRunException.class)
                .hasMessageContaining("run_nope");
        assertThatThrownBy(() -> engine.cancel("run_nope")).isInstanceOf(UnknownRunException.class);
    }
}
