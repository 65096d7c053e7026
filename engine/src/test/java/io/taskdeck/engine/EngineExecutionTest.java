package io.taskdeck.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.engine.store.RunStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs execute, retry, fail, time out and report, as a user sees it. */
public class EngineExecutionTest extends EngineContract {

    @Override
    protected RunStore createStore() {
        return new MemoryRunStore();
    }

    @Test
    void triggeredRunExecutesAndStoresItsOutput() {
        engine.register(TaskDefinition.builder("double", Order.class)
                .handler((order, ctx) -> Map.of("amount", order.amount() * 2)).build()).start();

        TriggerResult result = engine.trigger("double", new Order("o-1", 21));
        Run done = watch.awaitStatus(result.runId(), RunStatus.COMPLETED);

        assertThat(result.cached()).isFalse();
        assertThat(result.runId()).startsWith("run_").hasSize(30);
        assertThat(done.output()).isEqualTo("{\"amount\":42}");
        assertThat(done.payload()).isEqualTo("{\"id\":\"o-1\",\"amount\":21}");
        assertThat(watch.statuses(result.runId())).containsExactly(RunStatus.QUEUED, RunStatus.EXECUTING, RunStatus.COMPLETED);
        assertThat(engine.runDetail(result.runId()).attempts()).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED));
    }

    @Test
    void triggerReturnsOnceRecordedWithoutWaitingForExecution() {
        CountDownLatch release = gate();
        engine.register(TaskDefinition.builder("slow", JsonNode.class).handler((p, ctx) -> {
            await(release);
            return null;
        }).build()).start();

        TriggerResult r = engine.trigger("slow", Map.of());
        assertThat(engine.run(r.runId())).isPresent();
        watch.awaitStatus(r.runId(), RunStatus.EXECUTING);
        assertThat(engine.run(r.runId()).orElseThrow().status()).isEqualTo(RunStatus.EXECUTING);

        release.countDown();
        watch.awaitStatus(r.runId(), RunStatus.COMPLETED);
    }

    @Test
    void triggerWorksWithoutAStartedEngine() {
        engine.register(echo("echo"));
        TriggerResult r = engine.triggerJson("echo", "{\"a\":1}", TriggerOptions.NONE);
        assertThat(engine.run(r.runId()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);

        engine.start();
        assertThat(watch.awaitStatus(r.runId(), RunStatus.COMPLETED).output()).isEqualTo("{\"a\":1}");
    }

    @Test
    void failedAttemptsRetryWithExponentialBackoffOnTheClock() {
        AtomicInteger calls = new AtomicInteger();
        engine.register(TaskDefinition.builder("flaky", JsonNode.class)
                .retry(new RetryPolicy(3, 2.0, 1_000, 60_000, false))
                .handler((p, ctx) -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("try again");
                    }
                    return ctx.attempt();
                }).build()).start();

        String id = engine.trigger("flaky", Map.of()).runId();
        Run waiting = watch.awaitStatus(id, RunStatus.QUEUED, 2);
        assertThat(waiting.isRetryPending()).isTrue();
        assertThat(waiting.runAt()).isEqualTo(clock.now().plusMillis(1_000));
        assertThat(waiting.error().message()).isEqualTo("try again");

        clock.advance(Duration.ofMillis(999));
        assertThat(engine.run(id).orElseThrow().attempts()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        Run second = watch.awaitStatus(id, RunStatus.QUEUED, 3);
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.runAt()).isEqualTo(clock.now().plusMillis(2_000));

        clock.advance(Duration.ofSeconds(2));
        Run done = watch.awaitStatus(id, RunStatus.COMPLETED);
        assertThat(done.output()).isEqualTo("3");
        assertThat(engine.runDetail(id).attempts()).extracting(Attempt::outcome)
                .containsExactly(AttemptOutcome.FAILED, AttemptOutcome.FAILED, AttemptOutcome.SUCCEEDED);
        assertThat(engine.runDetail(id).attempts().get(1).waitMs()).isZero();
    }

    @Test
    void retryDelayFollowsTheFormulaWithRandomizationAndCap() {
        RetryPolicy policy = new RetryPolicy(10, 3.0, 1_000, 20_000, false);
        assertThat(policy.delayAfter(1, () -> 0.9)).isEqualTo(Duration.ofMillis(1_000));
        assertThat(policy.delayAfter(2, () -> 0.9)).isEqualTo(Duration.ofMillis(3_000));
        assertThat(policy.delayAfter(3, () -> 0.9)).isEqualTo(Duration.ofMillis(9_000));
        assertThat(policy.delayAfter(4, () -> 0.9)).isEqualTo(Duration.ofMillis(20_000));
        RetryPolicy jitter = policy.withRandomize(true);
        assertThat(jitter.delayAfter(1, () -> 0.5)).isEqualTo(Duration.ofMillis(1_500));
        assertThat(jitter.delayAfter(2, () -> 0.0)).isEqualTo(Duration.ofMillis(3_000));
        assertThat(RetryPolicy.DEFAULT).isEqualTo(new RetryPolicy(3, 2.0, 1_000, 60_000, false));
        assertThatThrownBy(() -> new RetryPolicy(0, 2, 1, 2, false)).hasMessageContaining("maxAttempts");
    }

    @Test
    void randomizedRetryUsesTheEngineRandomSource() {
        engine.register(TaskDefinition.builder("jitter", JsonNode.class)
                .retry(RetryPolicy.DEFAULT.withRandomize(true))
                .handler((p, ctx) -> {
                    throw new IllegalStateException("no");
                }).build()).start();
        String id = engine.trigger("jitter", Map.of()).runId();
        Run waiting = watch.awaitStatus(id, RunStatus.QUEUED, 2);
        assertThat(waiting.runAt()).isEqualTo(clock.now().plusMillis(1_500));
    }

    @Test
    void lastFailedAttemptFailsTheRunAndOpensADeadLetter() {
        List<String> failures = new CopyOnWriteArrayList<>();
        engine.register(TaskDefinition.builder("charge", Order.class)
                .retry(RetryPolicy.attempts(2).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .onFailure((order, error, ctx) -> failures.add(order.id() + ":" + error.getMessage()))
                .handler((order, ctx) -> {
                    throw new IllegalStateException("card declined for order " + order.id());
                }).build()).start();

        String id = engine.trigger("charge", new Order("123", 5)).runId();
        watch.awaitStatus(id, RunStatus.QUEUED, 2);
        clock.advance(Duration.ofSeconds(1));
        Run failed = watch.awaitStatus(id, RunStatus.FAILED);

        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.deadLetter()).isEqualTo(DeadLetterState.OPEN);
        assertThat(failed.error().type()).isEqualTo(IllegalStateException.class.getName());
        assertThat(failed.error().stackTrace()).contains("EngineExecutionTest");
        assertThat(failures).containsExactly("123:card declined for order 123");
    }

    @Test
    void abortTaskRunErrorStopsRetryingAtOnce() {
        engine.register(TaskDefinition.builder("abort", JsonNode.class).retry(RetryPolicy.attempts(5))
                .handler((p, ctx) -> {
                    throw new AbortTaskRunError("invalid input");
                }).build()).start();
        String id = engine.trigger("abort", Map.of()).runId();
        Run failed = watch.awaitStatus(id, RunStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
    }

    @Test
    void catchErrorDecidesAboutRetries() {
        engine.register(TaskDefinition.builder("hooked", JsonNode.class).retry(RetryPolicy.attempts(5))
                .catchError((p, error, ctx) -> switch (p.path("mode").asText()) {
                    case "skip" -> RetryDecision.skipRetrying();
                    case "after" -> RetryDecision.retryAfter(Duration.ofSeconds(7));
                    case "at" -> RetryDecision.retryAt(clock.now().plusSeconds(42));
                    default -> null;
                })
                .handler((p, ctx) -> {
                    throw new IllegalStateException("boom");
                }).build()).start();

        String skip = engine.trigger("hooked", Map.of("mode", "skip")).runId();
        String after = engine.trigger("hooked", Map.of("mode", "after")).runId();
        String at = engine.trigger("hooked", Map.of("mode", "at")).runId();
        String policy = engine.trigger("hooked", Map.of("mode", "none")).runId();

        assertThat(watch.awaitStatus(skip, RunStatus.FAILED).attempts()).isEqualTo(1);
        assertThat(watch.awaitStatus(after, RunStatus.QUEUED, 2).runAt()).isEqualTo(clock.now().plusSeconds(7));
        assertThat(watch.awaitStatus(at, RunStatus.QUEUED, 2).runAt()).isEqualTo(clock.now().plusSeconds(42));
        assertThat(watch.awaitStatus(policy, RunStatus.QUEUED, 2).runAt()).isEqualTo(clock.now().plusSeconds(1));
    }

    @Test
    void hooksRunAroundTheHandler() {
        List<String> calls = new CopyOnWriteArrayList<>();
        engine.register(TaskDefinition.builder("hooks", JsonNode.class)
                .onStart((p, ctx) -> calls.add("start " + ctx.attempt()))
                .onSuccess((p, out, ctx) -> calls.add("success " + out))
                .handler((p, ctx) -> {
                    calls.add("run");
                    return "ok";
                }).build()).start();
        String id = engine.trigger("hooks", Map.of()).runId();
        watch.awaitStatus(id, RunStatus.COMPLETED);
        assertThat(calls).containsExactly("start 1", "run", "success ok");
    }

    @Test
    void attemptPastMaxDurationTimesOutAndIsInterrupted() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        engine.register(TaskDefinition.builder("stuck", JsonNode.class).maxDuration(Duration.ofSeconds(30))
                .handler((p, ctx) -> {
                    started.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                    }
                    return null;
                }).build()).start();
        String id = engine.trigger("stuck", Map.of()).runId();
        watch.awaitStatus(id, RunStatus.EXECUTING);

        clock.advance(Duration.ofSeconds(29));
        clock.advance(Duration.ofSeconds(1));
        Run timedOut = watch.awaitStatus(id, RunStatus.TIMED_OUT);
        // The handler may not have started before the deadline passed; if it did, it was interrupted.
        if (started.getCount() == 0) {
            await(interrupted);
        }
        assertThat(timedOut.error().type()).isEqualTo("MaxDurationExceededError");
        assertThat(timedOut.deadLetter()).isEqualTo(DeadLetterState.OPEN);
        assertThat(watch.statuses(id)).doesNotContain(RunStatus.COMPLETED);
    }

    @Test
    void sleepWaitsOnTheEngineClockAndACancelEndsIt() throws InterruptedException {
        CountDownLatch sleeping = new CountDownLatch(2);
        engine.register(TaskDefinition.builder("napper", JsonNode.class).handler((p, ctx) -> {
            sleeping.countDown();
            ctx.sleep(Duration.ofMinutes(5));
            return Map.of("slept", true);
        }).build()).start();
        String kept = engine.trigger("napper", Map.of()).runId();
        String canceled = engine.trigger("napper", Map.of()).runId();
        await(sleeping);
        // Both took their deadlines from the clock before it moves (the latch comes just before the sleep).
        clock.awaitSleepers(2, Duration.ofSeconds(10));

        clock.advance(Duration.ofMinutes(4));
        engine.cancel(canceled);
        watch.awaitStatus(canceled, RunStatus.CANCELED);
        assertThat(engine.run(kept).orElseThrow().status()).as("four minutes are not five").isEqualTo(RunStatus.EXECUTING);

        clock.advance(Duration.ofMinutes(1));
        assertThat(watch.awaitStatus(kept, RunStatus.COMPLETED).output()).isEqualTo("{\"slept\":true}");
        assertThat(watch.statuses(canceled)).doesNotContain(RunStatus.COMPLETED);
    }

    @Test
    void logsAndMetadataAreStoredWithTheRun() {
        engine.register(TaskDefinition.builder("chatty", JsonNode.class).handler((p, ctx) -> {
            ctx.logger().info("starting");
            ctx.metadata().set("progress", 50);
            ctx.metadata().flush();
            ctx.logger().warn("halfway");
            ctx.metadata().set("progress", 100);
            return null;
        }).build()).start();
        String id = engine.trigger("chatty", Map.of(), TriggerOptions.builder().metadata(Map.of("user", "ada")).build()).runId();
        Run done = watch.awaitStatus(id, RunStatus.COMPLETED);

        assertThat(done.metadata()).isEqualTo("{\"user\":\"ada\",\"progress\":100}");
        RunDetail detail = engine.runDetail(id);
        assertThat(detail.logs()).extracting(LogLine::message).containsExactly("starting", "halfway");
        assertThat(detail.logs()).allSatisfy(l -> assertThat(l.attempt()).isEqualTo(1));
        assertThat(detail.events()).anySatisfy(e -> assertThat(e.detail()).isEqualTo("metadata updated"));
    }

    @Test
    void payloadThatNoLongerBindsIsASystemFailure() {
        engine.register(TaskDefinition.builder("typed", Order.class).handler((o, ctx) -> o.amount()).build());
        Run bad = Run.builder("run_0000000000000000000000000x", "typed", "task/typed", clock.now())
                .payload("{\"amount\":\"lots\"}").maxAttempts(3).build();
        store.insert(List.of(bad), clock.now());
        engine.start();

        Run failed = watch.awaitStatus(bad.id(), RunStatus.SYSTEM_FAILURE);
        assertThat(failed.error().type()).isEqualTo("PayloadBindingError");
        assertThat(failed.attempts()).isEqualTo(1);
    }

    @Test
    void handlerThrowingAnErrorCrashesTheRun() {
        engine.register(TaskDefinition.builder("oom", JsonNode.class).retry(RetryPolicy.NONE).handler((p, ctx) -> {
            throw new StackOverflowError("deep");
        }).build()).start();
        String id = engine.trigger("oom", Map.of()).runId();
        assertThat(watch.awaitStatus(id, RunStatus.CRASHED).deadLetter()).isEqualTo(DeadLetterState.OPEN);
    }
}
