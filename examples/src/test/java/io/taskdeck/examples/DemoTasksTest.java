package io.taskdeck.examples;

import io.taskdeck.engine.Engine;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.TaskProvider;
import io.taskdeck.engine.store.MemoryRunStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoTasksTest {

    @Test
    void theServiceLoaderFindsTheDemoTasksAndAnEngineAcceptsThem() {
        List<TaskProvider> providers = ServiceLoader.load(TaskProvider.class).stream().map(ServiceLoader.Provider::get).toList();
        assertThat(providers).hasAtLeastOneElementOfType(DemoTaskProvider.class);
        DemoTaskProvider demo = (DemoTaskProvider) providers.stream().filter(p -> p instanceof DemoTaskProvider).findFirst().orElseThrow();
        assertThat(demo.name()).isEqualTo("demo tasks");
        assertThat(demo.tasks()).extracting(TaskDefinition::id).containsExactlyElementsOf(DemoTasks.TASK_IDS);
        assertThat(demo.tasks()).allSatisfy(t -> assertThat(t.payloadSchema()).as(t.id()).contains("\"examples\""));

        Engine engine = Engine.builder().store(new MemoryRunStore()).build();
        demo.tasks().forEach(engine::register);   // every schema compiles
        assertThat(engine.queues().get(DemoTasks.FRAUD_DETECTION).orElseThrow().concurrencyLimit()).isEqualTo(10);
        assertThat(engine.queues().get(DemoTasks.UPDATE_WORKSPACE).orElseThrow().concurrencyLimit()).isEqualTo(25);
        assertThat(engine.queues().get(DemoTasks.UPDATE_WORKSPACE).orElseThrow().concurrencyKeyLimit()).isEqualTo(1);
        assertThat(engine.queues().get(DemoTasks.PROCESS_ANALYTICS).orElseThrow().concurrencyLimit()).isEqualTo(100);
        assertThat(engine.queues().get(DemoTasks.SEND_REPORT).orElseThrow().concurrencyLimit()).isEqualTo(2);
        assertThat(engine.queues().get(DemoTasks.PROCESS_REPORT).orElseThrow().concurrencyLimit()).isEqualTo(5);
    }

    @Test
    void flakySucceedsAfterItsFailuresAndAlwaysFailDeadLetters() {
        try (DemoEngine d = new DemoEngine().start()) {
            Run flaky = d.settle(d.engine.trigger(DemoTasks.FLAKY, new DemoPayloads.Flaky(2)).runId());
            assertThat(flaky.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(flaky.attempts()).isEqualTo(3);
            Run failing = d.settle(d.engine.trigger(DemoTasks.ALWAYS_FAIL, new DemoPayloads.AlwaysFail("boom")).runId());
            assertThat(failing.status()).isEqualTo(RunStatus.FAILED);
            assertThat(failing.attempts()).isEqualTo(3);
            assertThat(failing.error().message()).isEqualTo("boom");
            assertThat(d.engine.deadLetters().groups(DemoTasks.ALWAYS_FAIL)).hasSize(1);
        }
    }

    @Test
    void aSleepingRunIsCancelledAtOnce() throws Exception {
        try (DemoEngine d = new DemoEngine().start()) {
            String id = d.engine.trigger(DemoTasks.SLEEP, new DemoPayloads.Sleep(Duration.ofHours(1).toMillis())).runId();
            d.awaitSleeping(1);
            d.engine.cancel(id);
            d.await(id, RunStatus.CANCELED);
            d.awaitFinished(DemoTasks.SLEEP, 1);
            assertThat(d.store.sleeping().inFlight()).isZero();
        }
    }

    @Test
    void aHighRiskPaymentAlertsTheFraudTeamOnce() {
        try (DemoEngine d = new DemoEngine(b -> b.fraudScorer(p -> p.paymentId().startsWith("risky") ? 0.95 : 0.1)).start()) {
            d.await(d.engine.trigger(DemoTasks.PROCESS_PAYMENT, new DemoPayloads.Payment("risky_1", 5)).runId(), RunStatus.COMPLETED);
            d.await(d.engine.trigger(DemoTasks.PROCESS_PAYMENT, new DemoPayloads.Payment("safe_1", 5)).runId(), RunStatus.COMPLETED);
            d.awaitCount(DemoTasks.FRAUD_DETECTION, RunStatus.COMPLETED, 2);
            d.awaitCount(DemoTasks.ALERT_FRAUD_TEAM, RunStatus.COMPLETED, 1);
            assertThat(d.store.fraudAlerts()).containsExactly(new DemoPayloads.FraudAlert("risky_1", 5, 0.95));
        }
    }

    @Test
    void anInvalidPayloadIsRefusedNamingTheField() {
        try (DemoEngine d = new DemoEngine()) {
            assertThatThrownBy(() -> d.engine.triggerJson(DemoTasks.SEND_WELCOME_EMAIL,
                    "{\"userId\":\"u1\",\"email\":\"not-an-address\"}", null))
                    .hasMessageContaining("email");
            assertThatThrownBy(() -> DemoTasks.schema("send-fax")).hasMessageContaining("send-fax");
        }
    }
}
