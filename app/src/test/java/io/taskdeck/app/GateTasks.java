package io.taskdeck.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.engine.QueueOptions;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.TaskProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test task whose runs hold their slot until the test lets one finish, so a test decides when
 * concurrency changes. Each start records how many gate runs were in their handler at that moment
 * (itself included): a limit is exceeded exactly when a start records more than the limit.
 * Found through {@link java.util.ServiceLoader}, so Local and test servers both have it.
 */
public final class GateTasks implements TaskProvider {

    public static final String GATE = "gate";
    /** The queue of {@link #GATE}, declared with a limit of {@value #BASE_LIMIT}. */
    public static final String QUEUE = "gate-queue";
    public static final int BASE_LIMIT = 10;

    private static final Semaphore PERMITS = new Semaphore(0);
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static final AtomicInteger FINISHED = new AtomicInteger();
    private static final List<Integer> STARTS = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "test gate tasks";
    }

    @Override
    public List<TaskDefinition<?>> tasks() {
        return List.of(TaskDefinition.builder(GATE, JsonNode.class)
                .queue(QueueOptions.of(QUEUE, BASE_LIMIT))
                .handler((payload, ctx) -> {
                    STARTS.add(IN_FLIGHT.incrementAndGet());
                    try {
                        while (!PERMITS.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                            if (ctx.isCancelled()) {
                                return null;
                            }
                        }
                        return null;
                    } finally {
                        IN_FLIGHT.decrementAndGet();
                        FINISHED.incrementAndGet();
                    }
                })
                .build());
    }

    /** Forgets what was recorded; no run may be held. */
    public static void reset() {
        PERMITS.drainPermits();
        STARTS.clear();
        FINISHED.set(0);
    }

    /** Lets {@code n} held runs (now or later) finish. */
    public static void release(int n) {
        PERMITS.release(n);
    }

    /** Lets every run finish, for the end of a test. */
    public static void openAll() {
        PERMITS.release(100_000);
    }

    public static int inFlight() {
        return IN_FLIGHT.get();
    }

    public static int finished() {
        return FINISHED.get();
    }

    /** For each start since the last {@link #clearStarts()}: how many ran at once at that moment. */
    public static List<Integer> starts() {
        return List.copyOf(STARTS);
    }

    public static void clearStarts() {
        STARTS.clear();
    }
}
