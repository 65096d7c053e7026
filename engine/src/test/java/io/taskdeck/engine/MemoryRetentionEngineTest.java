package io.taskdeck.engine;

import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.engine.store.RunStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's cleaner applies the memory store's retention as the engine clock moves on. */
class MemoryRetentionEngineTest extends EngineContract {

    @Override
    protected RunStore createStore() {
        return MemoryRunStore.builder().finishedRunRetention(Duration.ofHours(1)).build();
    }

    @Test
    void finishedRunsAreDeletedOnceTheClockPassesTheRetention() {
        engine.register(echo("echo"));
        engine.register(TaskDefinition.builder("fail", com.fasterxml.jackson.databind.JsonNode.class)
                .retry(RetryPolicy.NONE)
                .handler((p, ctx) -> {
                    throw new IllegalStateException("no");
                }).build());
        engine.start();
        String done = engine.trigger("echo", "x").runId();
        String dead = engine.trigger("fail", "x").runId();
        watch.awaitStatus(done, RunStatus.COMPLETED);
        watch.awaitStatus(dead, RunStatus.FAILED);

        clock.advance(Duration.ofMinutes(59));
        String fresh = engine.trigger("echo", "y").runId();
        watch.awaitStatus(fresh, RunStatus.COMPLETED);

        clock.advance(Duration.ofMinutes(2));
        awaitCondition("the first run deleted", () -> engine.run(done).isEmpty());
        assertThat(engine.run(fresh)).as("finished a minute ago").isPresent();
        assertThat(engine.run(dead)).as("an open dead letter stays").isPresent();
        assertThat(engine.deadLetters().groups(null)).hasSize(1);
    }
}
