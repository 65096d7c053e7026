package io.taskdeck.examples;

import io.taskdeck.engine.Engine;
import io.taskdeck.engine.ManualClock;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.RunWatcher;
import io.taskdeck.engine.store.MemoryRunStore;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An in-memory engine on a manual clock with the demo tasks registered and a journal watcher:
 * what every test here starts from. Waits are on latches and journal events; their timeout only
 * bounds a failing test.
 */
public final class DemoEngine implements AutoCloseable {

    public static final Duration FAIL_AFTER = Duration.ofSeconds(10);

    public final ManualClock clock = new ManualClock();
    public final MemoryRunStore runStore = new MemoryRunStore();
    public final Engine engine;
    public final DemoTasks demo;
    public final DemoStore store;
    public final RunWatcher watcher;

    public DemoEngine() {
        this(b -> b);
    }

    public DemoEngine(UnaryOperator<DemoTasks.Builder> configure) {
        // the clock jumps by minutes at a time; a lease shorter than a jump would look like a lost node
        engine = Engine.builder().store(runStore).clock(clock).nodeId("test").leaseDuration(Duration.ofDays(1)).build();
        demo = configure.apply(DemoTasks.builder().clock(clock)).build();
        demo.registerAll(engine);
        store = demo.store();
        watcher = new RunWatcher(engine);
    }

    public DemoEngine start() {
        engine.start();
        return this;
    }

    public Run await(String runId, RunStatus status) {
        return watcher.awaitStatus(runId, status);
    }

    public Gauge gauge(String taskId) {
        return store.gauge(taskId);
    }

    /** Waits until exactly {@code n} runs of the task are inside their handler. */
    public void awaitInFlight(String taskId, int n) throws InterruptedException {
        Gauge g = gauge(taskId);
        assertThat(g.awaitInFlight(n, FAIL_AFTER)).as("%s: %d in flight", g, n).isTrue();
    }

    /** Waits until exactly {@code n} handlers (of any task) wait on the clock with their end fixed. */
    public void awaitSleeping(int n) throws InterruptedException {
        Gauge g = store.sleeping();
        assertThat(g.awaitInFlight(n, FAIL_AFTER)).as("%s: %d waiting", g, n).isTrue();
    }

    /** Waits until {@code n} runs of the task have left their handler. */
    public void awaitFinished(String taskId, long n) throws InterruptedException {
        Gauge g = gauge(taskId);
        assertThat(g.awaitFinished(n, FAIL_AFTER)).as("%s: %d finished", g, n).isTrue();
    }

    public long count(String taskId, RunStatus status) {
        return counts(taskId).getOrDefault(status, 0L);
    }

    public Map<RunStatus, Long> counts(String taskId) {
        return runStore.countByStatus(null, taskId);
    }

    /** Waits until the task has {@code n} runs in this status. */
    public void awaitCount(String taskId, RunStatus status, long n) {
        watcher.awaitEvent(n + " " + taskId + " runs " + status, e -> count(taskId, status) >= n);
        assertThat(count(taskId, status)).as("%s runs of %s", status, taskId).isEqualTo(n);
    }

    /**
     * Drives the clock until every run is final: whenever each unfinished run is parked on time (a
     * delay or retry timer in the future, or a handler waiting on the clock) and every running
     * handler is waiting on the clock, the clock jumps by {@code step}. Keep {@code step} well
     * under a task's maxDuration: a jump that lands between a claim and its wait only shifts time.
     */
    public List<Run> settle(Duration step, Collection<String> runIds) {
        long deadline = System.nanoTime() + FAIL_AFTER.toNanos();
        while (true) {
            List<Run> runs = runIds.stream().map(id -> engine.run(id).orElseThrow()).toList();
            if (runs.stream().allMatch(Run::isFinal)) {
                return runs;
            }
            if (runs.stream().filter(r -> !r.isFinal()).allMatch(this::parkedOnTime)
                    && store.sleeping().inFlight() == engine.activeRuns()) {
                clock.advance(step);
            } else {
                LockSupport.parkNanos(200_000);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("runs did not settle: " + runs.stream()
                        .filter(r -> !r.isFinal()).map(r -> r.id() + " " + r.status()).toList());
            }
        }
    }

    public Run settle(String runId) {
        return settle(Duration.ofSeconds(1), List.of(runId)).getFirst();
    }

    private boolean parkedOnTime(Run r) {
        Instant now = clock.now();
        // a run due now may be held back by others waiting on the clock
        return switch (r.status()) {
            case DELAYED -> true;
            case QUEUED -> (r.runAt() != null && r.runAt().isAfter(now)) || store.sleeping().inFlight() > 0;
            case EXECUTING -> store.sleeping().inFlight() > 0;
            default -> false;
        };
    }

    @Override
    public void close() {
        watcher.close();
        engine.stop(Duration.ZERO);
    }
}
