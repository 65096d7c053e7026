package io.taskdeck.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.engine.store.RunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Shared set-up for engine behaviour tests: an engine over a fresh store, a manual clock, and a
 * journal watcher. Store modules subclass the concrete test classes to run them on their store.
 */
public abstract class EngineContract {

    protected ManualClock clock;
    protected RunStore store;
    protected Engine engine;
    protected RunWatcher watch;
    /** Guarded by itself: handlers on the engine's threads make gates while the test tears down. */
    private final List<CountDownLatch> gates = new ArrayList<>();
    private boolean gatesOpened;
    private final List<Engine> extraEngines = new ArrayList<>();

    public record Order(String id, int amount) {
    }

    /** A fresh, empty store. */
    protected abstract RunStore createStore();

    @BeforeEach
    void startEngine() {
        clock = new ManualClock();
        store = createStore();
        engine = newEngine("node-1");
        watch = new RunWatcher(engine);
    }

    protected Engine newEngine(String nodeId) {
        Engine e = Engine.builder().store(store).clock(clock).nodeId(nodeId).random(() -> 0.5).build();
        extraEngines.add(e);
        return e;
    }

    @AfterEach
    void stopEngine() {
        List<CountDownLatch> open;
        synchronized (gates) {
            gatesOpened = true;
            open = List.copyOf(gates);
        }
        open.forEach(g -> {
            while (g.getCount() > 0) {
                g.countDown();
            }
        });
        watch.close();
        for (Engine e : extraEngines) {
            e.stop(Duration.ofSeconds(5));
        }
        store.close();
    }

    /**
     * A latch released at the end of the test at the latest, so no handler outlives it. A run the
     * teardown's releases let start (a freed slot claimed at once) gets one already open.
     */
    protected CountDownLatch gate() {
        synchronized (gates) {
            if (gatesOpened) {
                return new CountDownLatch(0);
            }
            CountDownLatch latch = new CountDownLatch(1);
            gates.add(latch);
            return latch;
        }
    }

    protected static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Waits for a condition that no journal event announces (a lease renewal, a delivery to
     * another subscriber). The bound only fails a broken test; a passing one returns as soon as
     * the condition holds.
     */
    protected static void awaitCondition(String description, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + description);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }

    /** A JsonNode task that returns its payload. */
    protected TaskDefinition<JsonNode> echo(String id) {
        return TaskDefinition.builder(id, JsonNode.class).handler((p, ctx) -> p).build();
    }
}
