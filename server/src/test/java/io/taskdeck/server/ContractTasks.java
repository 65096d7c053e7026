package io.taskdeck.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.QueueOptions;
import io.taskdeck.engine.RetryPolicy;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.store.MemoryRunStore;
import java.time.Duration;
import java.util.Map;

/** The demo tasks {@code TaskServerContractTest} expects, registered on a fresh in-memory engine. */
final class ContractTasks {
    private ContractTasks() {
    }

    static final RetryPolicy FAST_RETRY = RetryPolicy.attempts(3).withTimeouts(Duration.ofMillis(10), Duration.ofMillis(50));

    static Engine newEngine() {
        Engine engine = Engine.builder().store(new MemoryRunStore()).nodeId("node-test").build();
        register(engine);
        return engine.start();
    }

    static void register(Engine engine) {
        engine.register(task("noop").handler((p, ctx) -> Map.of("ok", true)).build());
        engine.register(task("sleep")
                .payloadSchema("{\"type\":\"object\",\"properties\":{\"ms\":{\"type\":\"integer\",\"minimum\":0}},"
                        + "\"required\":[\"ms\"]}")
                .handler((p, ctx) -> {
                    long ms = p.path("ms").asLong();
                    Thread.sleep(ms);
                    return Map.of("slept", ms);
                }).build());
        engine.register(task("always-fail").handler((p, ctx) -> {
            throw new IllegalStateException("always-fail");
        }).build());
        engine.register(task("flaky").handler((p, ctx) -> {
            if (ctx.attempt() <= p.path("failTimes").asInt()) {
                throw new IllegalStateException("flaky attempt " + ctx.attempt());
            }
            return Map.of("attempt", ctx.attempt());
        }).build());
    }

    private static TaskDefinition.Builder<JsonNode> task(String id) {
        return TaskDefinition.builder(id, JsonNode.class).queue(QueueOptions.of(id, 10)).retry(FAST_RETRY);
    }
}
