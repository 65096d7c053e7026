package io.taskdeck.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.engine.store.RunStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Trigger options, limits, ordering, pause, cancel and child runs. */
public class EngineSchedulingTest extends EngineContract {

    @Override
    protected RunStore createStore() {
        return new MemoryRunStore();
    }

    /** A task whose runs block until their gate (by payload "gate" name) opens, recording start order. */
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final List<String> started = new CopyOnWriteArrayList<>();
    /** Opened when a run's handler has begun: its EXECUTING status may be visible a moment before. */
    private final Map<String, CountDownLatch> entered = new ConcurrentHashMap<>();

    private TaskDefinition<JsonNode> gated(String id, QueueOptions queue) {
        return TaskDefinition.builder(id, JsonNode.class).queue(queue).retry(RetryPolicy.NONE).handler((p, ctx) -> {
            String name = p.path("name").asText();
            started.add(name);
            entered.computeIfAbsent(name, n -> gate()).countDown();
            await(gates.computeIfAbsent(name, n -> gate()));
            if (p.path("fail").asBoolean()) {
                throw new IllegalStateException("failing " + name);
            }
            return name;
        }).build();
    }

    private void open(String name) {
        gates.computeIfAbsent(name, n -> gate()).countDown();
    }

    private void awaitEntered(String name) {
        await(entered.computeIfAbsent(name, n -> gate()));
    }

    private String trigger(String task, String name, TriggerOptions options) {
        gates.computeIfAbsent(name, n -> gate());
        return engine.trigger(task, Map.of("name", name), options).runId();
    }

    @Test
    void queueLimitCapsConcurrentRunsAndFreedSlotsAreReused() {
        engine.register(gated("work", QueueOptions.of("limited", 2))).start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(trigger("work", "r" + i, TriggerOptions.NONE));
        }
        watch.awaitStatus(ids.get(0), RunStatus.EXECUTING);
        watch.awaitStatus(ids.get(1), RunStatus.EXECUTING);
        watch.awaitQuiet();
        assertThat(engine.queues().get("limited").orElseThrow().executing()).isEqualTo(2);
        assertThat(engine.run(ids.get(2)).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);

        open("r0");
        watch.awaitStatus(ids.get(2), RunStatus.EXECUTING);
        watch.awaitQuiet();
        assertThat(engine.run(ids.get(3)).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
        assertThat(engine.queues().get("limited").orElseThrow().executing()).isEqualTo(2);
    }

    @Test
    void liveLimitOverrideAndResetTakeEffectAtOnce() {
        engine.register(gated("work", QueueOptions.of("tunable", 1))).start();
        String a = trigger("work", "a", TriggerOptions.NONE);
        String b = trigger("work", "b", TriggerOptions.NONE);
        String c = trigger("work", "c", TriggerOptions.NONE);
        watch.awaitStatus(a, RunStatus.EXECUTING);

        engine.queues().overrideConcurrencyLimit("tunable", 3);
        watch.awaitStatus(b, RunStatus.EXECUTING);
        watch.awaitStatus(c, RunStatus.EXECUTING);

        QueueState reset = engine.queues().resetConcurrencyLimit("tunable");
        assertThat(reset.effectiveLimit()).isEqualTo(1);
        String d = trigger("work", "d", TriggerOptions.NONE);
        open("a");
        open("b");
        watch.awaitStatus(a, RunStatus.COMPLETED);
        watch.awaitStatus(b, RunStatus.COMPLETED);
        watch.awaitQuiet();
        assertThat(engine.run(d).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
        open("c");
        watch.awaitStatus(d, RunStatus.EXECUTING);
    }

    @Test
    void pausedQueueStartsNothingUntilResumed() {
        engine.register(gated("work", QueueOptions.of("switch", 5))).start();
        engine.queues().pause("switch");
        String id = trigger("work", "p", TriggerOptions.NONE);
        watch.awaitQuiet();
        assertThat(engine.run(id).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);

        engine.queues().resume("switch");
        watch.awaitStatus(id, RunStatus.EXECUTING);
        assertThatThrownBy(() -> engine.queues().pause("nope")).hasMessageContaining("nope");
    }

    @Test
    void runsOfOneKeyRunOneAtATimeInTriggerOrderWhileOtherKeysProceed() {
        engine.register(gated("work", QueueOptions.of("accounts", 10))).start();
        String a1 = trigger("work", "a1", TriggerOptions.builder().concurrencyKey("acct-a").build());
        String a2 = trigger("work", "a2", TriggerOptions.builder().concurrencyKey("acct-a").build());
        String b1 = trigger("work", "b1", TriggerOptions.builder().concurrencyKey("acct-b").build());
        watch.awaitStatus(a1, RunStatus.EXECUTING);
        watch.awaitStatus(b1, RunStatus.EXECUTING);
        watch.awaitQuiet();
        assertThat(engine.run(a2).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);

        open("a1");
        watch.awaitStatus(a2, RunStatus.EXECUTING);
        awaitEntered("a2");
        assertThat(started.indexOf("a1")).isLessThan(started.indexOf("a2"));
    }

    @Test
    void keyedRunKeepsItsKeySlotThroughItsRetry() {
        AtomicInteger firstAttempts = new AtomicInteger();
        List<String> order = new CopyOnWriteArrayList<>();
        engine.register(TaskDefinition.builder("ledger", JsonNode.class).queue(QueueOptions.of("ledger", 10))
                .retry(RetryPolicy.attempts(2))
                .handler((p, ctx) -> {
                    String name = p.path("name").asText();
                    order.add(name + "#" + ctx.attempt());
                    if (name.equals("first") && firstAttempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("transient");
                    }
                    return null;
                }).build()).start();
        TriggerOptions key = TriggerOptions.builder().concurrencyKey("acct-1").build();
        String first = engine.trigger("ledger", Map.of("name", "first"), key).runId();
        String second = engine.trigger("ledger", Map.of("name", "second"), key).runId();

        watch.awaitStatus(first, RunStatus.QUEUED, 2);
        watch.awaitQuiet();
        assertThat(engine.run(second).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
        assertThat(engine.run(second).orElseThrow().attempts()).isZero();

        clock.advance(Duration.ofSeconds(1));
        watch.awaitStatus(second, RunStatus.COMPLETED);
        assertThat(order).containsExactly("first#1", "first#2", "second#1");
    }

    @Test
    void priorityGivesAHeadStartInSeconds() {
        engine.register(gated("work", QueueOptions.of("serial", 1))).start();
        String blocker = trigger("work", "blocker", TriggerOptions.NONE);
        watch.awaitStatus(blocker, RunStatus.EXECUTING);
        trigger("work", "early", TriggerOptions.NONE);
        clock.advance(Duration.ofSeconds(5));
        String late = trigger("work", "late-but-urgent", TriggerOptions.builder().priority(10).build());
        trigger("work", "late", TriggerOptions.NONE);

        open("blocker");
        open("late-but-urgent");
        open("early");
        open("late");
        watch.awaitStatus(late, RunStatus.COMPLETED);
        watch.awaitEvent("all done", e -> started.size() == 4 && e.to() == RunStatus.COMPLETED && "late".equals(startedLast()));
        assertThat(started).containsExactly("blocker", "late-but-urgent", "early", "late");
    }

    private String startedLast() {
        return started.isEmpty() ? null : started.getLast();
    }

    @Test
    void delayedRunWaitsForItsTimeAndCanBeRescheduled() {
        engine.register(echo("echo")).start();
        String id = engine.trigger("echo", Map.of(), TriggerOptions.builder().delay(Duration.ofMinutes(5)).build()).runId();
        Run delayed = engine.run(id).orElseThrow();
        assertThat(delayed.status()).isEqualTo(RunStatus.DELAYED);
        assertThat(delayed.runAt()).isEqualTo(clock.now().plus(Duration.ofMinutes(5)));

        clock.advance(Duration.ofMinutes(4));
        engine.reschedule(id, Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(2));
        watch.awaitQuiet();
        assertThat(engine.run(id).orElseThrow().status()).isEqualTo(RunStatus.DELAYED);

        clock.advance(Duration.ofMinutes(8));
        watch.awaitStatus(id, RunStatus.COMPLETED);
        assertThat(watch.statuses(id)).containsExactly(RunStatus.DELAYED, RunStatus.QUEUED, RunStatus.EXECUTING, RunStatus.COMPLETED);
        assertThatThrownBy(() -> engine.reschedule(id, Duration.ofMinutes(1))).isInstanceOf(IllegalRunStateException.class);
    }

    @Test
    void runNotStartedWithinItsTtlExpires() {
        engine.register(gated("work", QueueOptions.of("busy", 1))).start();
        String blocker = trigger("work", "blocker", TriggerOptions.NONE);
        watch.awaitStatus(blocker, RunStatus.EXECUTING);
        String id = trigger("work", "stale", TriggerOptions.builder().ttl(Duration.ofMinutes(10)).build());

        clock.advance(Duration.ofMinutes(10));
        Run expired = watch.awaitStatus(id, RunStatus.EXPIRED);
        assertThat(expired.attempts()).isZero();
        open("blocker");
        watch.awaitStatus(blocker, RunStatus.COMPLETED);
        assertThat(started).containsExactly("blocker");
    }

    @Test
    void repeatedIdempotencyKeyReturnsTheSameRunUntilItsTtl() {
        engine.register(echo("echo"));
        TriggerOptions once = TriggerOptions.builder().idempotencyKey("order-7").idempotencyKeyTTL(Duration.ofHours(1)).build();
        TriggerResult first = engine.trigger("echo", Map.of("n", 1), once);
        TriggerResult again = engine.trigger("echo", Map.of("n", 2), once);
        assertThat(again).isEqualTo(new TriggerResult(first.runId(), true));

        clock.advance(Duration.ofHours(1));
        TriggerResult later = engine.trigger("echo", Map.of("n", 3), once);
        assertThat(later.cached()).isFalse();
        assertThat(engine.resetIdempotencyKey("echo", "order-7")).isTrue();
        assertThat(engine.trigger("echo", Map.of("n", 4), once).runId()).isNotEqualTo(later.runId());
    }

    @Test
    void tagsMetadataQueueAndMaxAttemptsOptionsAreRecorded() {
        engine.register(echo("echo"));
        String id = engine.trigger("echo", Map.of(), TriggerOptions.builder().tags("vip", "eu").queue("special")
                .maxAttempts(7).metadata(Map.of("k", "v")).build()).runId();
        Run run = engine.run(id).orElseThrow();
        assertThat(run.tags()).containsExactly("vip", "eu");
        assertThat(run.queue()).isEqualTo("special");
        assertThat(run.maxAttempts()).isEqualTo(7);
        assertThat(run.metadata()).isEqualTo("{\"k\":\"v\"}");
        assertThat(engine.queues().get("special")).isPresent();
        assertThat(engine.runs(RunQuery.builder().tag("vip").build()).runs()).extracting(Run::id).containsExactly(id);
    }

    @Test
    void badTriggerOptionsAreRefusedWithTheOptionNamed() {
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            tooMany.add("t" + i);
        }
        assertThatThrownBy(() -> TriggerOptions.builder().tags(tooMany).build()).hasMessageContaining("tags");
        assertThatThrownBy(() -> TriggerOptions.builder().tags("x".repeat(128)).build()).hasMessageContaining("tags");
        assertThatThrownBy(() -> TriggerOptions.builder().priority(-1).build()).hasMessageContaining("priority");
        assertThatThrownBy(() -> TriggerOptions.builder().ttl(Duration.ofSeconds(-1)).build()).hasMessageContaining("ttl");
        assertThatThrownBy(() -> TriggerOptions.builder().maxAttempts(0).build()).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> engine.trigger("missing", Map.of())).isInstanceOf(UnknownTaskException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void cancelStopsQueuedRunsAtOnceAndExecutingRunsCooperatively() {
        CountDownLatch sawCancel = new CountDownLatch(1);
        CountDownLatch began = new CountDownLatch(1);
        engine.register(TaskDefinition.builder("long", JsonNode.class).queue(QueueOptions.of("long", 1)).handler((p, ctx) -> {
            try {
                began.countDown();
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                if (ctx.isCancelled()) {
                    sawCancel.countDown();
                }
                ctx.throwIfCancelled();
            }
            return null;
        }).build()).start();
        String running = engine.trigger("long", Map.of()).runId();
        String queued = engine.trigger("long", Map.of()).runId();
        watch.awaitStatus(running, RunStatus.EXECUTING);
        // EXECUTING is journaled a moment before the handler begins; a cancel in between is
        // (rightly) handled without running the handler, which this test is not about.
        await(began);

        assertThat(engine.cancel(queued).status()).isEqualTo(RunStatus.CANCELED);
        assertThat(engine.cancel(running).status()).isEqualTo(RunStatus.CANCELED);
        await(sawCancel);
        watch.awaitQuiet();
        assertThat(engine.run(running).orElseThrow().status()).isEqualTo(RunStatus.CANCELED);
        assertThat(engine.runDetail(running).attempts().getFirst().outcome()).isEqualTo(AttemptOutcome.CANCELED);
        assertThat(engine.cancel(running).status()).isEqualTo(RunStatus.CANCELED);
        assertThat(engine.queues().get("long").orElseThrow().executing()).isZero();
    }

    @Test
    void triggerAndWaitGivesTheParentSlotBackSoParentAndChildShareAQueue() {
        QueueOptions single = QueueOptions.of("single", 1);
        engine.register(TaskDefinition.builder("child", JsonNode.class).queue(single)
                .handler((p, ctx) -> p.path("x").asInt() * 10).build());
        engine.register(TaskDefinition.builder("parent", JsonNode.class).queue(single).handler((p, ctx) -> {
            RunOutcome child = ctx.triggerAndWait("child", Map.of("x", 4));
            return "child said " + child.output();
        }).build()).start();

        String parent = engine.trigger("parent", Map.of()).runId();
        Run done = watch.awaitStatus(parent, RunStatus.COMPLETED);
        assertThat(done.output()).isEqualTo("\"child said 40\"");
        assertThat(watch.statuses(parent)).containsExactly(RunStatus.QUEUED, RunStatus.EXECUTING, RunStatus.WAITING,
                RunStatus.EXECUTING, RunStatus.COMPLETED);
        RunDetail detail = engine.runDetail(parent);
        assertThat(detail.children()).singleElement().satisfies(c -> {
            assertThat(c.parentId()).isEqualTo(parent);
            assertThat(c.rootId()).isEqualTo(parent);
            assertThat(engine.runDetail(c.id()).parent().id()).isEqualTo(parent);
        });
    }

    @Test
    void cancelingAParentCancelsItsChildren() {
        CountDownLatch childStarted = new CountDownLatch(1);
        engine.register(TaskDefinition.builder("child", JsonNode.class).handler((p, ctx) -> {
            childStarted.countDown();
            new CountDownLatch(1).await();
            return null;
        }).build());
        engine.register(TaskDefinition.builder("parent", JsonNode.class).handler((p, ctx) ->
                ctx.triggerAndWait("child", Map.of())).build()).start();
        String parent = engine.trigger("parent", Map.of()).runId();
        watch.awaitStatus(parent, RunStatus.WAITING);
        await(childStarted);
        String child = engine.runDetail(parent).children().getFirst().id();

        engine.cancel(parent);
        watch.awaitStatus(child, RunStatus.CANCELED);
        assertThat(engine.run(parent).orElseThrow().status()).isEqualTo(RunStatus.CANCELED);
    }

    @Test
    void invalidPayloadIsRefusedNamingTheFieldAndNothingIsStored() {
        engine.register(TaskDefinition.builder("pay", JsonNode.class).payloadSchema("""
                {"type":"object","required":["amount"],
                 "properties":{"amount":{"type":"integer","minimum":1},"currency":{"type":"string"}}}
                """).handler((p, ctx) -> null).build());
        engine.register(TaskDefinition.builder("typed", Order.class).handler((o, ctx) -> null).build());
        long before = engine.journal().lastSeq();

        assertThatThrownBy(() -> engine.trigger("pay", Map.of("currency", "EUR")))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("amount");
        assertThatThrownBy(() -> engine.triggerJson("pay", "{\"amount\":0}", TriggerOptions.NONE))
                .hasMessageContaining("$.amount");
        assertThatThrownBy(() -> engine.triggerJson("pay", "{not json", TriggerOptions.NONE))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> engine.triggerJson("typed", "{\"amount\":\"lots\"}", TriggerOptions.NONE))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("$.amount");
        assertThat(engine.journal().lastSeq()).isEqualTo(before);
        assertThat(engine.runs(RunQuery.all()).runs()).isEmpty();
        assertThat(engine.trigger("pay", Map.of("amount", 5)).cached()).isFalse();
    }

    @Test
    void batchTriggerStoresAllItemsOrNone() {
        engine.register(TaskDefinition.builder("pay", JsonNode.class)
                .payloadSchema("{\"type\":\"object\",\"required\":[\"amount\"]}").handler((p, ctx) -> null).build());
        assertThatThrownBy(() -> engine.batchTrigger(List.of(BatchItem.of("pay", Map.of("amount", 1)),
                BatchItem.of("pay", Map.of()))))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("item 1").hasMessageContaining("amount");
        assertThat(engine.runs(RunQuery.all()).runs()).isEmpty();

        BatchResult ok = engine.batchTrigger(List.of(BatchItem.of("pay", Map.of("amount", 1)), BatchItem.of("pay", Map.of("amount", 2))));
        assertThat(ok.runs()).hasSize(2);
        assertThat(ok.batchId()).startsWith("batch_");
        assertThat(engine.run(ok.runs().get(1).runId()).orElseThrow().batchId()).isEqualTo(ok.batchId());
    }
}
