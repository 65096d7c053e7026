package io.taskdeck.server.internal;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.JournalSubscription;
import io.taskdeck.engine.QueueState;
import io.taskdeck.engine.RunStatus;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Prometheus metrics at /metrics: per-queue depth, running and limit gauges; runs triggered and
 * finished (by status) counted from the journal; time from queued to started and run time as
 * histograms; HTTP request latency by route.
 */
public final class Metrics {

    private static final String STARTED = "io.taskdeck.metrics.started";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Engine engine;
    private final Set<String> queuesSeen = ConcurrentHashMap.newKeySet();
    private final Counter triggered;
    private final JournalSubscription subscription;

    public Metrics(Engine engine, IntSupplier openStreams) {
        this.engine = engine;
        this.triggered = Counter.builder("taskdeck_runs_triggered").description("runs triggered").register(registry);
        Gauge.builder("taskdeck_event_streams", openStreams::getAsInt).description("open SSE event streams")
                .register(registry);
        Gauge.builder("taskdeck_journal_last_seq", () -> engine.journal().lastSeq())
                .description("seq of the newest journal event").register(registry);
        Gauge.builder("taskdeck_node_running", engine::activeRuns).description("attempts running on this node")
                .register(registry);
        this.subscription = engine.journal().subscribe(engine.journal().lastSeq(), events -> events.forEach(this::count));
    }

    private void count(JournalEvent e) {
        switch (e.kind()) {
            case RUN_TRIGGERED -> triggered.increment();
            case RUN_STATUS_CHANGED -> {
                if (e.to() != null && e.to().isFinal()) {
                    Counter.builder("taskdeck_runs_finished").tag("status", e.to().name()).tag("queue", e.queue())
                            .description("runs that reached a final status").register(registry).increment();
                    if (e.to() == RunStatus.COMPLETED || e.to().isDeadLetter()) {
                        engine.run(e.runId()).ifPresent(run -> {
                            if (run.startedAt() != null && run.completedAt() != null) {
                                Timer.builder("taskdeck_run_duration").tag("queue", e.queue())
                                        .description("first start to finish of finished runs").publishPercentileHistogram()
                                        .register(registry)
                                        .record(Duration.between(run.startedAt(), run.completedAt()));
                            }
                        });
                    }
                } else if (e.to() == RunStatus.EXECUTING && e.from() == RunStatus.QUEUED && e.attempt() == 1) {
                    engine.run(e.runId()).ifPresent(run -> Timer.builder("taskdeck_queue_wait")
                            .tag("queue", e.queue()).description("trigger (or delay end) to first start")
                            .publishPercentileHistogram().register(registry)
                            .record(Duration.between(run.runAt() != null && run.runAt().isAfter(run.createdAt())
                                    ? run.runAt() : run.createdAt(), e.at()).abs()));
                }
            }
            default -> {
            }
        }
    }

    private void registerQueues() {
        for (QueueState q : engine.queues().list()) {
            if (queuesSeen.add(q.name())) {
                String name = q.name();
                Gauge.builder("taskdeck_queue_queued", () -> state(name).queued()).tag("queue", name)
                        .description("runs due and waiting for a slot").register(registry);
                Gauge.builder("taskdeck_queue_running", () -> state(name).executing()).tag("queue", name)
                        .description("runs executing").register(registry);
                Gauge.builder("taskdeck_queue_concurrency_limit", () -> state(name).effectiveLimit()).tag("queue", name)
                        .description("the limit in force").register(registry);
                Gauge.builder("taskdeck_queue_paused", () -> state(name).paused() ? 1 : 0).tag("queue", name)
                        .description("1 when paused").register(registry);
            }
        }
    }

    private QueueState state(String name) {
        return engine.queues().get(name).orElse(new QueueState(name, 0, null, 1, false, 0, 0));
    }

    public void requestStarted(Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
    }

    public void requestFinished(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null || ctx.path().endsWith("/events")) {
            return;
        }
        String route = ctx.endpointHandlerPath();
        Timer.builder("taskdeck_http_requests").tag("method", ctx.method().name())
                .tag("route", route == null || route.isEmpty() ? "unmatched" : route)
                .tag("status", Integer.toString(ctx.statusCode())).publishPercentileHistogram()
                .description("HTTP request latency").register(registry)
                .record(Duration.ofNanos(System.nanoTime() - started));
    }

    public String scrape() {
        registerQueues();
        return registry.scrape();
    }

    public void close() {
        subscription.close();
        registry.close();
    }
}
