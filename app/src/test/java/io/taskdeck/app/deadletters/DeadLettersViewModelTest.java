package io.taskdeck.app.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.client.BulkAction;
import io.taskdeck.client.BulkActionState;
import io.taskdeck.client.DeadLetterGroup;
import io.taskdeck.client.Role;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.client.TriggerRequest;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.TaskProvider;
import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.server.EngineTaskServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The dead-letter view-model over a running engine (real executions: runs fail, land in the dead
 * letters, are requeued and run again); background work inline.
 */
class DeadLettersViewModelTest {

    private static final TriggerOptions ONE_ATTEMPT = TriggerOptions.builder().maxAttempts(1).build();
    private Engine engine;
    private TaskServer server;
    private final List<Throwable> unhandled = new ArrayList<>();
    private DeadLettersViewModel vm;

    @BeforeEach
    void start() {
        engine = Engine.builder().store(new MemoryRunStore()).nodeId("test").build();
        for (TaskProvider p : ServiceLoader.load(TaskProvider.class)) {
            p.tasks().forEach(engine::register);
        }
        engine.start();
        server = EngineTaskServer.over(engine);
        vm = new DeadLettersViewModel(() -> server, UiTasks.currentThread(unhandled::add));
        vm.roleProperty().set(Role.OPERATOR);
    }

    @AfterEach
    void stop() {
        engine.close();
        assertThat(unhandled).isEmpty();
    }

    private static JsonNode json(String text) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            throw new AssertionError("Timed out waiting until " + what, e);
        }
    }

    private DeadLetterGroup awaitGroup(String taskId, long count) throws Exception {
        await(taskId + " has " + count + " dead letters", () -> server.deadLetterGroups().stream()
                .anyMatch(g -> taskId.equals(g.taskId()) && g.count() == count));
        vm.refresh();
        return vm.groups().stream().filter(g -> taskId.equals(g.taskId())).findFirst().orElseThrow();
    }

    @Test
    void groupsByFingerprintNewestFirstAndOpensAGroupToItsRuns() throws Exception {
        String a = server.trigger("always-fail", json("{\"message\": \"card 1111 declined\"}"), ONE_ATTEMPT).id();
        String b = server.trigger("always-fail", json("{\"message\": \"card 2222 declined\"}"), ONE_ATTEMPT).id();
        Instant cardsLastSeen = awaitGroup("always-fail", 2).lastSeen();
        // Run times are milliseconds: the flaky run is newer only if it fails in a later one (on a
        // fast machine the whole trigger-to-failure can fit in the millisecond of the last card).
        await("the clock passes the cards' last failure", () -> System.currentTimeMillis() > cardsLastSeen.toEpochMilli());
        server.trigger("flaky", json("{\"failTimes\": 9}"), ONE_ATTEMPT);
        awaitGroup("flaky", 1);

        // The digits are normalized away: one group for both cards; the flaky group is newer.
        assertThat(vm.groups()).extracting(DeadLetterGroup::taskId).containsExactly("flaky", "always-fail");
        DeadLetterGroup cards = vm.groups().get(1);
        assertThat(cards.count()).isEqualTo(2);
        assertThat(cards.sampleError().message()).contains("declined");

        vm.groupProperty().set(cards);
        assertThat(vm.runs()).extracting(Run::id).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void requeueWithAnEditedPayloadMakesTheRunCompleteAndLeaveTheDeadLetters() throws Exception {
        String id = server.trigger("flaky", json("{\"failTimes\": 9}"), ONE_ATTEMPT).id();
        vm.groupProperty().set(awaitGroup("flaky", 1));

        vm.requeueEdited(id, json("{\"failTimes\": 0}"), null);

        assertThat(vm.messageProperty().get()).isEqualTo("Requeued with the edited payload " + id + ".");
        await("the requeued run completes", () -> server.getRun(id).run().status() == RunStatus.COMPLETED);
        vm.refresh();
        assertThat(vm.groups()).isEmpty();
        assertThat(vm.groupProperty().get()).isNull();
        // The history is kept: the failed attempt, then the one that succeeded.
        assertThat(server.getRun(id).attempts()).extracting(a -> a.status())
                .containsExactly(RunStatus.FAILED, RunStatus.COMPLETED);
    }

    @Test
    void aGroupRequeueOf500RunsShowsProgressAndRunsThatFailAgainReturnWithTheirHistory() throws Exception {
        List<TriggerRequest> batch = IntStream.range(0, 500)
                .mapToObj(i -> new TriggerRequest("always-fail", JsonNodeFactory.instance.objectNode().put("message", "boom"),
                        ONE_ATTEMPT))
                .toList();
        server.batchTrigger(batch);
        DeadLetterGroup group = awaitGroup("always-fail", 500);
        vm.groupProperty().set(group);
        assertThat(vm.runs()).hasSize(DeadLettersViewModel.PAGE_SIZE);
        assertThat(vm.hasMoreProperty().get()).isTrue();

        vm.requeue(new RequeueTarget.Group(group.fingerprint(), group.count()));
        assertThat(vm.bulkProperty().get()).isNotNull();
        List<Long> progress = new ArrayList<>();
        await("the bulk requeue finishes", () -> {
            vm.pollBulk();
            progress.add(vm.bulkProperty().get().done());
            return !vm.bulkRunning().get();
        });
        BulkAction done = vm.bulkProperty().get();
        assertThat(done.state()).isEqualTo(BulkActionState.COMPLETED);
        assertThat(done.total()).isEqualTo(500);
        assertThat(done.succeeded()).isEqualTo(500);
        assertThat(progress).isSorted();
        assertThat(vm.messageProperty().get()).isEqualTo("Requeue finished: 500 succeeded, 0 failed.");

        // Each fails again and comes back, with its whole history.
        DeadLetterGroup again = awaitGroup("always-fail", 500);
        assertThat(again.fingerprint()).isEqualTo(group.fingerprint());
        String one = server.deadLetterRuns(again.fingerprint(), io.taskdeck.client.PageRequest.first(1)).data().get(0).id();
        // A requeue gives a fresh attempt budget (the task's retry policy); the first attempt stays in the history.
        await("the run is back after its new attempts", () -> server.getRun(one).attempts().size() > 1
                && server.getRun(one).run().status() == RunStatus.FAILED);
        assertThat(server.getRun(one).attempts()).first().satisfies(a -> {
            assertThat(a.number()).isEqualTo(1);
            assertThat(a.error().message()).isEqualTo("boom");
        });
    }

    @Test
    void aRateLimitedBulkActionCanBeAbortedAndSaysWhatItDid() throws Exception {
        for (int i = 0; i < 5; i++) {
            server.trigger("always-fail", json("{\"message\": \"slow\"}"), ONE_ATTEMPT);
        }
        DeadLetterGroup group = awaitGroup("always-fail", 5);
        vm.ratePerSecondProperty().set(0.5);
        vm.discard(new RequeueTarget.Group(group.fingerprint(), group.count()));
        assertThat(vm.bulkRunning().get()).isTrue();

        vm.abortBulk();
        await("the abort is seen", () -> {
            vm.pollBulk();
            return !vm.bulkRunning().get();
        });
        BulkAction b = vm.bulkProperty().get();
        assertThat(b.state()).isEqualTo(BulkActionState.ABORTED);
        assertThat(b.done()).isLessThan(5);
        assertThat(vm.messageProperty().get()).startsWith("Discard aborted after " + b.done() + " of 5");
        vm.refresh();
        assertThat(vm.groups().get(0).count()).isEqualTo(5 - b.succeeded());
    }

    @Test
    void discardingAskesAQuestionThatStatesTheCount() {
        assertThat(DeadLettersViewModel.discardQuestion(new RequeueTarget.Group("fp", 1_234)))
                .isEqualTo("Discard 1,234 runs? They will not run again and will leave the dead letters.");
        assertThat(DeadLettersViewModel.discardQuestion(new RequeueTarget.Runs(List.of("run_1"))))
                .startsWith("Discard 1 run? It will");
    }

    @Test
    void aViewerIsToldWhyNothingHappens() throws Exception {
        String id = server.trigger("always-fail", json("{}"), ONE_ATTEMPT).id();
        awaitGroup("always-fail", 1);
        vm.roleProperty().set(Role.VIEWER);

        vm.requeue(new RequeueTarget.Runs(List.of(id)));

        assertThat(vm.messageProperty().get()).contains("viewer role");
        assertThat(server.getRun(id).run().status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void requeueToAnotherQueueMovesTheRuns() throws Exception {
        String a = server.trigger("always-fail", json("{}"), ONE_ATTEMPT).id();
        String b = server.trigger("always-fail", json("{}"), ONE_ATTEMPT).id();
        awaitGroup("always-fail", 2);
        server.pauseQueue("send-report");

        vm.requeueTo(new RequeueTarget.Runs(List.of(a, b)), "send-report");
        await("the bulk move finishes", () -> {
            vm.pollBulk();
            return !vm.bulkRunning().get();
        });

        assertThat(List.of(server.getRun(a).run(), server.getRun(b).run()))
                .allSatisfy(r -> {
                    assertThat(r.queue()).isEqualTo("send-report");
                    assertThat(r.status()).isEqualTo(RunStatus.QUEUED);
                });
    }
}
