package io.taskdeck.examples.acceptance;

import io.taskdeck.engine.QueueState;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.TriggerOptions;
import io.taskdeck.examples.DemoEngine;
import io.taskdeck.examples.DemoPayloads.AnalyticsEvent;
import io.taskdeck.examples.DemoPayloads.ReportDelivery;
import io.taskdeck.examples.DemoPayloads.WorkspaceUpdate;
import io.taskdeck.examples.DemoStore;
import io.taskdeck.examples.Gauge;
import io.taskdeck.examples.LoadGenerator;
import io.taskdeck.examples.LoadGenerator.LoadReport;
import io.taskdeck.examples.LoadProfile;
import io.taskdeck.examples.TaskMix;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.taskdeck.examples.DemoTasks.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's five scalability reasons, each measured on the demo tasks. Work takes simulated
 * time (handlers wait on the manual clock), so throughput is counted per simulated second and
 * concurrency is read from gauges, never from wall-clock timings.
 */
class ScalabilityTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    /** 1. Parallelism: raising the concurrency limit live raises runs finished per (simulated) second. */
    @Test
    void throughputRisesWithTheConcurrencyLimit() throws Exception {
        try (DemoEngine d = new DemoEngine().start()) {
            d.engine.queues().overrideConcurrencyLimit(PROCESS_ANALYTICS, 5);
            for (int i = 0; i < 60; i++) {
                d.engine.trigger(PROCESS_ANALYTICS, new AnalyticsEvent("user_" + i, "click", 1_000L));
            }
            Gauge gauge = d.gauge(PROCESS_ANALYTICS);
            d.awaitSleeping(5);
            d.clock.advance(SECOND);
            d.awaitFinished(PROCESS_ANALYTICS, 5);
            d.awaitSleeping(5);
            long atFive = gauge.finished();
            assertThat(gauge.max()).isEqualTo(5);

            d.engine.queues().overrideConcurrencyLimit(PROCESS_ANALYTICS, 20);
            d.awaitSleeping(20);
            d.clock.advance(SECOND);
            d.awaitFinished(PROCESS_ANALYTICS, atFive + 20);
            d.awaitSleeping(20);
            long atTwenty = gauge.finished() - atFive;

            assertThat(atFive).as("runs finished in one second at limit 5").isEqualTo(5);
            assertThat(atTwenty).as("runs finished in one second at limit 20").isEqualTo(20);
            assertThat(gauge.max()).isEqualTo(20);
        }
    }

    /** 2. Per-entity ordering: one workspace's updates apply one at a time in trigger order; workspaces run in parallel. */
    @Test
    void eachWorkspaceIsUpdatedInOrderWhileWorkspacesRunInParallel() throws Exception {
        List<String> workspaces = List.of("ws_a", "ws_b", "ws_c");
        int perWorkspace = 4;
        try (DemoEngine d = new DemoEngine().start()) {
            for (int seq = 0; seq < perWorkspace; seq++) {
                for (String ws : workspaces) {
                    d.engine.trigger(UPDATE_WORKSPACE, new WorkspaceUpdate(ws, Map.of("seq", seq), 1_000L),
                            TriggerOptions.builder().concurrencyKey(ws).build());
                }
            }
            for (int round = 1; round <= perWorkspace; round++) {
                d.awaitSleeping(workspaces.size());
                for (String ws : workspaces) {
                    assertThat(d.store.workspaceGauge(ws).inFlight()).as("%s in flight", ws).isEqualTo(1);
                }
                d.clock.advance(SECOND);
                d.awaitFinished(UPDATE_WORKSPACE, (long) round * workspaces.size());
            }
            d.awaitCount(UPDATE_WORKSPACE, RunStatus.COMPLETED, workspaces.size() * perWorkspace);

            for (String ws : workspaces) {
                assertThat(d.store.appliedUpdates(ws)).extracting(u -> ((Number) u.data().get("seq")).intValue())
                        .as("order of %s", ws).containsExactly(0, 1, 2, 3);
                assertThat(d.store.workspaceGauge(ws).max()).as("most at once in %s", ws).isEqualTo(1);
            }
            assertThat(d.gauge(UPDATE_WORKSPACE).max()).as("workspaces in parallel").isEqualTo(workspaces.size());
        }
    }

    /** 3. Independent scaling: changing one workload's limit leaves another's concurrency alone. */
    @Test
    void oneQueuesLimitChangeDoesNotAffectAnother() throws Exception {
        try (DemoEngine d = new DemoEngine().start()) {
            for (int i = 0; i < 150; i++) {
                d.engine.trigger(PROCESS_ANALYTICS, new AnalyticsEvent("user_" + i, "click", 1_000L));
            }
            for (int i = 0; i < 6; i++) {
                d.engine.trigger(SEND_REPORT, new ReportDelivery("report_" + i, "ops@example.com", 1_000L));
            }
            Gauge analytics = d.gauge(PROCESS_ANALYTICS);
            Gauge reports = d.gauge(SEND_REPORT);
            d.awaitSleeping(100 + 2);
            assertThat(analytics.inFlight()).isEqualTo(100);
            assertThat(reports.inFlight()).isEqualTo(2);

            // the narrow workload is narrowed further; the wide one keeps its width
            d.engine.queues().overrideConcurrencyLimit(SEND_REPORT, 1);
            d.clock.advance(SECOND);
            d.awaitFinished(PROCESS_ANALYTICS, 100);
            d.awaitFinished(SEND_REPORT, 2);
            analytics.resetMax();
            reports.resetMax();
            d.awaitSleeping(50 + 1);
            assertThat(analytics.inFlight()).isEqualTo(50);
            assertThat(reports.inFlight()).isEqualTo(1);

            // and the wide one widened: the narrow one stays at one
            d.engine.queues().overrideConcurrencyLimit(PROCESS_ANALYTICS, 200);
            d.clock.advance(SECOND);
            d.awaitFinished(PROCESS_ANALYTICS, 150);
            d.awaitFinished(SEND_REPORT, 3);
            d.awaitSleeping(1);
            assertThat(reports.inFlight()).isEqualTo(1);
            assertThat(analytics.max()).isEqualTo(50);
            assertThat(reports.max()).isEqualTo(1);

            QueueState analyticsQueue = d.engine.queues().get(PROCESS_ANALYTICS).orElseThrow();
            QueueState reportQueue = d.engine.queues().get(SEND_REPORT).orElseThrow();
            assertThat(analyticsQueue.concurrencyLimit()).isEqualTo(100);
            assertThat(analyticsQueue.effectiveLimit()).isEqualTo(200);
            assertThat(reportQueue.concurrencyLimit()).isEqualTo(2);
            assertThat(reportQueue.effectiveLimit()).isEqualTo(1);
        }
    }

    /** 4. The run queue absorbs a 10,000-trigger spike and drains it at the concurrency limit, losing nothing. */
    @Test
    void aTenThousandTriggerSpikeDrainsAtTheLimitWithNothingLost() throws Exception {
        int spike = 10_000;
        int limit = 100;
        try (DemoEngine d = new DemoEngine().start()) {
            LoadGenerator generator = LoadGenerator.builder()
                    .engine(d.engine)
                    .mix(TaskMix.single(PROCESS_ANALYTICS, seq -> new AnalyticsEvent("user_" + seq, "spike", 1_000L)))
                    .profile(LoadProfile.spike(spike, SECOND))
                    .build();
            LoadGenerator.LoadRun load = generator.start();
            d.clock.advance(SECOND);
            LoadReport report = load.await(DemoEngine.FAIL_AFTER);
            assertThat(report.triggered()).isEqualTo(spike);
            assertThat(report.failed()).isZero();
            assertThat(report.achievedRate()).isEqualTo(spike);
            assertThat(report.batches()).isEqualTo(spike / 500);

            // absorbed: the limit runs, the rest waits in the queue
            d.awaitSleeping(limit);
            QueueState queue = d.engine.queues().get(PROCESS_ANALYTICS).orElseThrow();
            assertThat(queue.executing()).isEqualTo(limit);
            assertThat(queue.queued()).isEqualTo(spike - limit);

            Gauge gauge = d.gauge(PROCESS_ANALYTICS);
            for (int second = 1; second <= spike / limit; second++) {
                d.clock.advance(SECOND);
                d.awaitFinished(PROCESS_ANALYTICS, (long) second * limit);
                assertThat(gauge.finished()).as("finished after %d s", second).isEqualTo((long) second * limit);
                if (second < spike / limit) {
                    d.awaitSleeping(limit);
                }
            }
            d.awaitCount(PROCESS_ANALYTICS, RunStatus.COMPLETED, spike);
            assertThat(gauge.max()).isEqualTo(limit);
            Map<String, Long> processed = d.store.analyticsByUser();
            assertThat(processed).hasSize(spike);
            assertThat(processed.values()).containsOnly(1L);
        }
    }

    /** 5. CQRS: the cache read model lags while its queue is held, then converges to the authoritative records. */
    @Test
    void theCacheReadModelConvergesToTheAuthoritativeRecords() {
        try (DemoEngine d = new DemoEngine().start()) {
            d.engine.queues().pause(UPDATE_WORKSPACE_CACHE);
            int workspaces = 5;
            int updates = 6;
            for (int u = 0; u < updates; u++) {
                for (int w = 0; w < workspaces; w++) {
                    String ws = "ws_" + w;
                    d.engine.trigger(UPDATE_WORKSPACE, new WorkspaceUpdate(ws, Map.of("field" + u % 3, "v" + u, "last", u)),
                            TriggerOptions.builder().concurrencyKey(ws).build());
                }
            }
            d.awaitCount(UPDATE_WORKSPACE, RunStatus.COMPLETED, workspaces * updates);
            assertThat(d.store.workspaces()).hasSize(workspaces)
                    .allSatisfy((ws, record) -> assertThat(record.version()).isEqualTo(updates));
            assertThat(d.store.workspaceCache()).as("reads before the projection caught up").isEmpty();

            d.engine.queues().resume(UPDATE_WORKSPACE_CACHE);
            d.awaitCount(UPDATE_WORKSPACE_CACHE, RunStatus.COMPLETED, workspaces * updates);
            Map<String, DemoStore.WorkspaceRecord> records = d.store.workspaces();
            assertThat(d.store.workspaceCache()).hasSize(workspaces).allSatisfy((ws, cached) -> {
                assertThat(cached.version()).isEqualTo(records.get(ws).version());
                assertThat(cached.data()).isEqualTo(records.get(ws).data());
            });
            assertThat(d.store.cachedWorkspace("ws_0").orElseThrow().data()).containsEntry("last", updates - 1);
        }
    }
}
