package io.taskdeck.examples.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.InvalidPayloadException;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.TriggerOptions;
import io.taskdeck.examples.DemoEngine;
import io.taskdeck.examples.DemoPayloads.Payment;
import io.taskdeck.examples.DemoPayloads.SensorReading;
import io.taskdeck.examples.DemoPayloads.WelcomeEmail;
import io.taskdeck.examples.DemoPayloads.WorkspaceUpdate;
import io.taskdeck.examples.DemoStore;
import io.taskdeck.examples.DemoStore.Section;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.taskdeck.examples.DemoTasks.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seed's five extensibility reasons, each measured on the demo tasks. */
class ExtensibilityTest {

    private static final ObjectMapper JSON = Engine.defaultMapper();

    /** 1. Add a consumer: a new task reacts to payments with no change to the payment task. */
    @Test
    void aNewConsumerReactsToPaymentsWithoutTouchingTheProducer() {
        try (DemoEngine d = new DemoEngine().start()) {
            TaskDefinition<?> producer = d.engine.task(PROCESS_PAYMENT).orElseThrow();
            String before = d.engine.trigger(PROCESS_PAYMENT, new Payment("pay_1", 100)).runId();
            d.await(before, RunStatus.COMPLETED);

            List<String> loyalty = new CopyOnWriteArrayList<>();
            d.engine.register(TaskDefinition.builder("loyalty-points", Payment.class)
                    .handler((payment, ctx) -> loyalty.add(payment.paymentId())).build());
            d.demo.subscribeToPayments("loyalty-points");

            List<String> after = new ArrayList<>();
            for (int i = 2; i <= 4; i++) {
                after.add(d.engine.trigger(PROCESS_PAYMENT, new Payment("pay_" + i, 100 * i)).runId());
            }
            after.forEach(id -> d.await(id, RunStatus.COMPLETED));
            d.awaitCount("loyalty-points", RunStatus.COMPLETED, 3);
            d.awaitCount(FRAUD_DETECTION, RunStatus.COMPLETED, 4);

            assertThat(loyalty).containsExactlyInAnyOrder("pay_2", "pay_3", "pay_4");
            assertThat(d.engine.task(PROCESS_PAYMENT).orElseThrow()).isSameAs(producer);
            // the existing behaviour is untouched: every payment charged once and scored
            assertThat(d.store.charges()).containsOnlyKeys("pay_1", "pay_2", "pay_3", "pay_4");
            assertThat(d.store.riskScores()).containsOnlyKeys("pay_1", "pay_2", "pay_3", "pay_4");
            // the new consumer's runs are children of the payments that caused them
            for (String id : after) {
                assertThat(d.engine.runDetail(id).children()).extracting(Run::taskId)
                        .containsExactlyInAnyOrder(FRAUD_DETECTION, "loyalty-points");
            }
        }
    }

    /** 2. A new event type: sensor readings flow to their new task; no existing task sees one. */
    @Test
    void aNewEventTypeIsIgnoredByEveryExistingTask() {
        try (DemoEngine d = new DemoEngine().start()) {
            d.await(d.engine.trigger(PROCESS_PAYMENT, new Payment("pay_1", 9_500)).runId(), RunStatus.COMPLETED);
            d.await(d.engine.trigger(SEND_WELCOME_EMAIL, new WelcomeEmail("user_1", "ada@example.com")).runId(),
                    RunStatus.COMPLETED);
            d.awaitCount(ALERT_FRAUD_TEAM, RunStatus.COMPLETED, 1);
            d.watcher.awaitQuiet();
            Map<Section, Object> existing = snapshot(d.store, Section.IOT);
            long seqBefore = d.engine.journal().lastSeq();

            List<String> readings = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                readings.add(d.engine.trigger(IOT_DATA_PROCESSOR,
                        new SensorReading("sensor_" + i % 3, 20 + i, "2025-01-01T00:00:0" + i % 10 + "Z", "lab")).runId());
            }
            d.awaitCount(IOT_DATA_PROCESSOR, RunStatus.COMPLETED, 20);
            d.watcher.awaitQuiet();

            List<JournalEvent> since = d.watcher.events().stream().filter(e -> e.seq() > seqBefore).toList();
            assertThat(since).isNotEmpty().allSatisfy(e -> assertThat(e.taskId()).isEqualTo(IOT_DATA_PROCESSOR));
            assertThat(d.store.sensorReadings()).hasSize(20);
            assertThat(snapshot(d.store, Section.IOT)).isEqualTo(existing);
        }
    }

    /** 3. Compatible schema evolution: an optional field added; old and new payloads, old and new consumers all work. */
    @Test
    void addingAnOptionalFieldKeepsOldPayloadsAndOldConsumersWorking() throws Exception {
        try (DemoEngine d = new DemoEngine().start()) {
            TriggerOptions keyed = TriggerOptions.builder().concurrencyKey("ws_1").build();
            String v1Payload = "{\"workspaceId\":\"ws_1\",\"data\":{\"name\":\"Research\"}}";
            String v2Payload = "{\"workspaceId\":\"ws_1\",\"data\":{\"plan\":\"pro\"},\"correlationId\":\"corr-7\"}";

            // the current (v2) task accepts a producer still sending v1 payloads...
            Run oldProducer = d.await(d.engine.triggerJson(UPDATE_WORKSPACE, v1Payload, keyed).runId(), RunStatus.COMPLETED);
            assertThat(JSON.readTree(oldProducer.output()).has("correlationId")).isFalse();
            // ...and a new producer's v2 payload, using the new field
            Run newProducer = d.await(d.engine.triggerJson(UPDATE_WORKSPACE, v2Payload, keyed).runId(), RunStatus.COMPLETED);
            assertThat(JSON.readTree(newProducer.output()).get("correlationId").asText()).isEqualTo("corr-7");

            // a consumer still on v1 (its schema and payload type predate correlationId) takes v2 payloads
            record WorkspaceUpdateV1(String workspaceId, Map<String, Object> data) {
            }
            List<WorkspaceUpdateV1> seenByV1 = new CopyOnWriteArrayList<>();
            d.engine.register(TaskDefinition.builder(UPDATE_WORKSPACE, WorkspaceUpdateV1.class)
                    .payloadSchema(resource("update-workspace-v1.json"))
                    .handler((update, ctx) -> seenByV1.add(update)).build());
            d.await(d.engine.triggerJson(UPDATE_WORKSPACE, v2Payload, keyed).runId(), RunStatus.COMPLETED);
            assertThat(seenByV1).containsExactly(new WorkspaceUpdateV1("ws_1", Map.of("plan", "pro")));

            // the schema is enforced: had the field been added as required, v1 payloads would be refused
            d.engine.register(TaskDefinition.builder(UPDATE_WORKSPACE, WorkspaceUpdate.class)
                    .payloadSchema(schema(UPDATE_WORKSPACE).replace("\"required\": [\"workspaceId\", \"data\"]",
                            "\"required\": [\"workspaceId\", \"data\", \"correlationId\"]"))
                    .handler((update, ctx) -> null).build());
            assertThatThrownBy(() -> d.engine.triggerJson(UPDATE_WORKSPACE, v1Payload, keyed))
                    .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("correlationId");
        }
    }

    /** 4. Modular data ownership: each module's data is written by its own tasks only, and one module's migration leaves the rest intact. */
    @Test
    void eachDataModuleIsWrittenOnlyByItsOwnTasks() {
        Map<Section, Set<String>> owners = new EnumMap<>(Map.of(
                Section.PAYMENTS, Set.of(PROCESS_PAYMENT),
                Section.FRAUD, Set.of(FRAUD_DETECTION),
                Section.FRAUD_ALERTS, Set.of(ALERT_FRAUD_TEAM),
                Section.PAYMENT_DEAD_LETTERS, Set.of(PAYMENT_DEAD_LETTER),
                Section.MAIL, Set.of(SEND_WELCOME_EMAIL),
                Section.WORKSPACES, Set.of(UPDATE_WORKSPACE),
                Section.WORKSPACE_CACHE, Set.of(UPDATE_WORKSPACE_CACHE),
                Section.IOT, Set.of(IOT_DATA_PROCESSOR),
                Section.ANALYTICS, Set.of(PROCESS_ANALYTICS),
                Section.REPORTS, Set.of(PROCESS_REPORT, SEND_REPORT)));
        try (DemoEngine d = new DemoEngine().start()) {
            List<String> runs = new ArrayList<>();
            for (String taskId : TASK_IDS) {
                runs.add(d.engine.triggerJson(taskId, example(taskId), TriggerOptions.NONE).runId());
            }
            runs.add(d.engine.trigger(PROCESS_PAYMENT, new Payment("pay_bad", -1)).runId());
            runs.add(d.engine.trigger(PROCESS_PAYMENT, new Payment("pay_big", 9_900)).runId());
            d.settle(Duration.ofSeconds(1), runs);
            d.awaitCount(PAYMENT_DEAD_LETTER, RunStatus.COMPLETED, 2);   // the example record and pay_bad's
            d.awaitCount(ALERT_FRAUD_TEAM, RunStatus.COMPLETED, 3);      // the example alert, the example score's, pay_big's
            d.awaitCount(UPDATE_WORKSPACE_CACHE, RunStatus.COMPLETED, 2);

            assertThat(d.store.writers()).containsOnlyKeys(owners.keySet());
            d.store.writers().forEach((section, writers) ->
                    assertThat(writers).as("writers of %s", section).isSubsetOf(owners.get(section)));

            // the IoT module changes its storage shape: no other module's data moves
            Map<Section, Object> others = snapshot(d.store, Section.IOT);
            d.store.replaceSensorReadings(IOT_DATA_PROCESSOR, d.store.sensorReadings().stream()
                    .map(r -> new SensorReading(r.sensorId(), r.reading() * 1.8 + 32, r.timestamp(), r.location())).toList());
            assertThat(snapshot(d.store, Section.IOT)).isEqualTo(others);
        }
    }

    /**
     * 5. Frontend composability: a generic client that knows only the task list and each schema
     * (as the console's trigger dialog does) can pre-fill, validate and trigger every task.
     */
    @Test
    void aGenericFormCanTriggerEveryTaskFromItsSchemaAlone() throws Exception {
        try (DemoEngine d = new DemoEngine().start()) {
            List<String> runs = new ArrayList<>();
            for (TaskDefinition<?> task : d.engine.tasks()) {
                JsonNode schema = JSON.readTree(task.payloadSchema());
                assertThat(schema.path("examples").isArray()).as("%s has an example", task.id()).isTrue();
                String prefilled = schema.path("examples").get(0).toString();
                runs.add(d.engine.triggerJson(task.id(), prefilled, TriggerOptions.NONE).runId());
                for (JsonNode required : schema.path("required")) {
                    JsonNode edited = JSON.readTree(prefilled);
                    ((com.fasterxml.jackson.databind.node.ObjectNode) edited).remove(required.asText());
                    assertThatThrownBy(() -> d.engine.triggerJson(task.id(), edited.toString(), TriggerOptions.NONE))
                            .as("%s without %s", task.id(), required.asText())
                            .isInstanceOf(InvalidPayloadException.class).hasMessageContaining(required.asText());
                }
            }
            assertThat(d.engine.tasks()).extracting(TaskDefinition::id).containsExactlyInAnyOrderElementsOf(TASK_IDS);
            List<Run> settled = d.settle(Duration.ofSeconds(1), runs);
            assertThat(settled).allSatisfy(r -> assertThat(r.status())
                    .as(r.taskId()).isEqualTo(r.taskId().equals(ALWAYS_FAIL) ? RunStatus.FAILED : RunStatus.COMPLETED));
        }
    }

    // ------------------------------------------------------------------ helpers

    static String example(String taskId) {
        try {
            return JSON.readTree(schema(taskId)).path("examples").get(0).toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Map<Section, Object> snapshot(DemoStore store, Section except) {
        Map<Section, Object> out = new EnumMap<>(Section.class);
        for (Section s : Section.values()) {
            if (s != except) {
                out.put(s, store.snapshot(s));
            }
        }
        return out;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ExtensibilityTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
