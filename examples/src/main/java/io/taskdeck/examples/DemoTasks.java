package io.taskdeck.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.EngineClock;
import io.taskdeck.engine.QueueOptions;
import io.taskdeck.engine.RetryPolicy;
import io.taskdeck.engine.TaskContext;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.TaskHandler;
import io.taskdeck.engine.TriggerOptions;
import io.taskdeck.examples.DemoPayloads.AlwaysFail;
import io.taskdeck.examples.DemoPayloads.AnalyticsEvent;
import io.taskdeck.examples.DemoPayloads.Flaky;
import io.taskdeck.examples.DemoPayloads.FraudAlert;
import io.taskdeck.examples.DemoPayloads.Payment;
import io.taskdeck.examples.DemoPayloads.PaymentDeadLetter;
import io.taskdeck.examples.DemoPayloads.Report;
import io.taskdeck.examples.DemoPayloads.ReportDelivery;
import io.taskdeck.examples.DemoPayloads.SensorReading;
import io.taskdeck.examples.DemoPayloads.Sleep;
import io.taskdeck.examples.DemoPayloads.WelcomeEmail;
import io.taskdeck.examples.DemoPayloads.WorkspaceCacheRefresh;
import io.taskdeck.examples.DemoPayloads.WorkspaceUpdate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * The seed's example tasks, made real, plus a few for benchmarks and demos.
 *
 * <pre>{@code
 * DemoTasks demo = DemoTasks.builder().clock(engine.clock()).build();
 * demo.registerAll(engine);
 * engine.trigger(DemoTasks.PROCESS_PAYMENT, new Payment("pay_1", 12.0));
 * demo.store().charges();   // what the tasks did
 * }</pre>
 *
 * Every task has a payload JSON Schema with an example, so a trigger form can be pre-filled and
 * checked. Durations ({@code durationMs}, {@code sleep.ms}) are waited on the clock given here,
 * which should be the engine's: with a {@link io.taskdeck.engine.ManualClock} they end when the
 * test advances it, and a cancel interrupts them.
 */
public final class DemoTasks {

    public static final String PROCESS_PAYMENT = "process-payment";
    public static final String FRAUD_DETECTION = "fraud-detection";
    public static final String ALERT_FRAUD_TEAM = "alert-fraud-team";
    public static final String PAYMENT_DEAD_LETTER = "payment-dead-letter";
    public static final String SEND_WELCOME_EMAIL = "send-welcome-email";
    public static final String UPDATE_WORKSPACE = "update-workspace";
    public static final String UPDATE_WORKSPACE_CACHE = "update-workspace-cache";
    public static final String PROCESS_ANALYTICS = "process-analytics";
    public static final String SEND_REPORT = "send-report";
    public static final String PROCESS_REPORT = "process-report";
    public static final String IOT_DATA_PROCESSOR = "iot-data-processor";
    public static final String NOOP = "noop";
    public static final String SLEEP = "sleep";
    public static final String FLAKY = "flaky";
    public static final String ALWAYS_FAIL = "always-fail";

    /** Every demo task id, in the order {@link #definitions()} lists them. */
    public static final List<String> TASK_IDS = List.of(PROCESS_PAYMENT, FRAUD_DETECTION, ALERT_FRAUD_TEAM,
            PAYMENT_DEAD_LETTER, SEND_WELCOME_EMAIL, UPDATE_WORKSPACE, UPDATE_WORKSPACE_CACHE, PROCESS_ANALYTICS,
            SEND_REPORT, PROCESS_REPORT, IOT_DATA_PROCESSOR, NOOP, SLEEP, FLAKY, ALWAYS_FAIL);

    /** A risk score above this alerts the fraud team. */
    public static final double FRAUD_ALERT_THRESHOLD = 0.8;

    /** Bounded retries with a short backoff: 100 ms, 200 ms, ... up to 2 s. */
    static final RetryPolicy SHORT_BACKOFF = new RetryPolicy(3, 2.0, 100, 2_000, false);

    private final EngineClock clock;
    private final DemoStore store;
    private final ToDoubleFunction<Payment> fraudScorer;
    private final List<String> paymentConsumers;
    private final List<TaskDefinition<?>> definitions;

    private DemoTasks(Builder b) {
        this.clock = b.clock;
        this.store = b.store;
        this.fraudScorer = b.fraudScorer;
        this.paymentConsumers = new CopyOnWriteArrayList<>(b.paymentConsumers);
        this.definitions = List.of(processPayment(), fraudDetection(), alertFraudTeam(), paymentDeadLetter(),
                sendWelcomeEmail(), updateWorkspace(), updateWorkspaceCache(), processAnalytics(), sendReport(),
                processReport(), iotDataProcessor(), noop(), sleep(), flaky(), alwaysFail());
    }

    /** Demo tasks on the wall clock with a fresh store. */
    public DemoTasks() {
        this(builder());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Demo tasks timed by this engine's clock, registered with it. */
    public static DemoTasks registeredWith(Engine engine) {
        DemoTasks demo = builder().clock(engine.clock()).build();
        demo.registerAll(engine);
        return demo;
    }

    public List<TaskDefinition<?>> definitions() {
        return definitions;
    }

    public TaskDefinition<?> definition(String taskId) {
        return definitions.stream().filter(d -> d.id().equals(taskId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo task \"" + taskId + "\"; the demo tasks are " + TASK_IDS));
    }

    public Engine registerAll(Engine engine) {
        definitions.forEach(engine::register);
        return engine;
    }

    public DemoStore store() {
        return store;
    }

    public EngineClock clock() {
        return clock;
    }

    /**
     * Adds a task to those process-payment triggers for every payment, the way a shared dispatcher
     * fans payment events out: a new consumer needs no change to the payment task. The task must
     * be registered before payments reach it.
     */
    public void subscribeToPayments(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        if (!paymentConsumers.contains(taskId)) {
            paymentConsumers.add(taskId);
        }
    }

    public List<String> paymentConsumers() {
        return List.copyOf(paymentConsumers);
    }

    /** The payload JSON Schema of a demo task, as text. */
    public static String schema(String taskId) {
        String path = "schemas/" + taskId + ".json";
        try (InputStream in = DemoTasks.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no schema for demo task \"" + taskId + "\"");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }

    // ------------------------------------------------------------------ payments (extensibility 1, resilience 4)

    private TaskDefinition<Payment> processPayment() {
        return task(PROCESS_PAYMENT, Payment.class)
                .queue(QueueOptions.named(PROCESS_PAYMENT))
                .retry(SHORT_BACKOFF)
                .handler(tracked(PROCESS_PAYMENT, (payment, ctx) -> {
                    // Every attempt is a payment event; the key makes a retry's fan-out a no-op.
                    for (String consumer : paymentConsumers) {
                        ctx.trigger(consumer, payment, TriggerOptions.builder()
                                .idempotencyKey(consumer + ":" + payment.paymentId()).build());
                    }
                    if (payment.amount() < 0) {
                        store.decline(PROCESS_PAYMENT, payment);
                        throw new CardDeclinedException("card declined for payment " + payment.paymentId());
                    }
                    boolean charged = store.charge(PROCESS_PAYMENT, payment, ctx.runId());
                    return Map.of("paymentId", payment.paymentId(), "charged", charged);
                }))
                .onFailure((payment, error, ctx) -> ctx.trigger(PAYMENT_DEAD_LETTER,
                        new PaymentDeadLetter(payment, error.getMessage(), ctx.runId()),
                        TriggerOptions.builder().idempotencyKey("dead-letter:" + ctx.runId() + ":" + ctx.attempt()).build()))
                .build();
    }

    private TaskDefinition<Payment> fraudDetection() {
        return task(FRAUD_DETECTION, Payment.class)
                .queue(QueueOptions.of(FRAUD_DETECTION, 10))
                .handler(tracked(FRAUD_DETECTION, (payment, ctx) -> {
                    double score = fraudScorer.applyAsDouble(payment);
                    store.recordRiskScore(FRAUD_DETECTION, payment.paymentId(), score);
                    if (score > FRAUD_ALERT_THRESHOLD) {
                        ctx.trigger(ALERT_FRAUD_TEAM, new FraudAlert(payment.paymentId(), payment.amount(), score),
                                TriggerOptions.builder().idempotencyKey("alert:" + payment.paymentId()).build());
                    }
                    return Map.of("paymentId", payment.paymentId(), "riskScore", score);
                }))
                .build();
    }

    private TaskDefinition<FraudAlert> alertFraudTeam() {
        return task(ALERT_FRAUD_TEAM, FraudAlert.class)
                .retry(RetryPolicy.attempts(5))
                .handler(tracked(ALERT_FRAUD_TEAM, (alert, ctx) -> {
                    store.recordFraudAlert(ALERT_FRAUD_TEAM, alert);
                    return Map.of("alerted", alert.paymentId());
                }))
                .build();
    }

    private TaskDefinition<PaymentDeadLetter> paymentDeadLetter() {
        return task(PAYMENT_DEAD_LETTER, PaymentDeadLetter.class)
                .retry(RetryPolicy.attempts(5))
                .handler(tracked(PAYMENT_DEAD_LETTER, (record, ctx) -> {
                    store.recordPaymentDeadLetter(PAYMENT_DEAD_LETTER, record);
                    ctx.logger().warn("payment " + record.originalPayload().paymentId() + " needs manual review: "
                            + record.error());
                    return Map.of("recorded", record.originalPayload().paymentId());
                }))
                .build();
    }

    /** Scores by amount: 10,000 or more is certain fraud, so alerts start above 8,000. */
    static double scoreByAmount(Payment payment) {
        return Math.min(1.0, Math.abs(payment.amount()) / 10_000.0);
    }

    // ------------------------------------------------------------------ mail (resilience 3)

    private TaskDefinition<WelcomeEmail> sendWelcomeEmail() {
        return task(SEND_WELCOME_EMAIL, WelcomeEmail.class)
                .retry(new RetryPolicy(5, 2.0, 1_000, 30_000, false))
                .handler(tracked(SEND_WELCOME_EMAIL, (mail, ctx) -> {
                    if (store.welcomeSent(mail.userId())) {
                        return Map.of("skipped", true);
                    }
                    store.sendMail(SEND_WELCOME_EMAIL, new DemoStore.SentMail(mail.userId(), mail.email(), "welcome", ctx.runId()));
                    store.recordWelcomeSent(SEND_WELCOME_EMAIL, mail.userId());
                    Integer crashes = mail.crashAfterSendAttempts();
                    if (crashes != null && ctx.attempt() <= crashes) {
                        throw new IllegalStateException("worker crashed after sending the welcome mail (attempt "
                                + ctx.attempt() + " of " + crashes + " planned crashes)");
                    }
                    return Map.of("sent", true);
                }))
                .build();
    }

    // ------------------------------------------------------------------ workspaces (scalability 2, 5)

    private TaskDefinition<WorkspaceUpdate> updateWorkspace() {
        return task(UPDATE_WORKSPACE, WorkspaceUpdate.class)
                .queue(QueueOptions.of(UPDATE_WORKSPACE, 25).withConcurrencyKeyLimit(1))
                .handler(tracked(UPDATE_WORKSPACE, (update, ctx) -> {
                    try (Gauge.Entry ignored = store.workspaceGauge(update.workspaceId()).enter()) {
                        sleep(update.durationMs(), ctx);
                        DemoStore.AppliedUpdate applied = store.applyWorkspaceUpdate(UPDATE_WORKSPACE,
                                update.workspaceId(), update.data(), ctx.runId());
                        ctx.trigger(UPDATE_WORKSPACE_CACHE, new WorkspaceCacheRefresh(update.workspaceId(), applied.version()),
                                TriggerOptions.builder().idempotencyKey("cache:" + ctx.runId()).build());
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("workspaceId", update.workspaceId());
                        out.put("version", applied.version());
                        if (update.correlationId() != null) {
                            out.put("correlationId", update.correlationId());
                        }
                        return out;
                    }
                }))
                .build();
    }

    private TaskDefinition<WorkspaceCacheRefresh> updateWorkspaceCache() {
        return task(UPDATE_WORKSPACE_CACHE, WorkspaceCacheRefresh.class)
                .queue(QueueOptions.of(UPDATE_WORKSPACE_CACHE, 10))
                .retry(SHORT_BACKOFF.withMaxAttempts(5))
                .handler(tracked(UPDATE_WORKSPACE_CACHE, (refresh, ctx) -> {
                    DemoStore.CachedWorkspace cached = store.refreshWorkspaceCache(UPDATE_WORKSPACE_CACHE, refresh.workspaceId());
                    return Map.of("workspaceId", refresh.workspaceId(), "cachedVersion", cached == null ? 0 : cached.version());
                }))
                .build();
    }

    // ------------------------------------------------------------------ independent workloads (scalability 1, 3, 4)

    private TaskDefinition<AnalyticsEvent> processAnalytics() {
        return task(PROCESS_ANALYTICS, AnalyticsEvent.class)
                .queue(QueueOptions.of(PROCESS_ANALYTICS, 100))
                .handler(tracked(PROCESS_ANALYTICS, (event, ctx) -> {
                    sleep(event.durationMs(), ctx);
                    store.recordAnalytics(PROCESS_ANALYTICS, event.userId());
                    return null;
                }))
                .build();
    }

    private TaskDefinition<ReportDelivery> sendReport() {
        return task(SEND_REPORT, ReportDelivery.class)
                .queue(QueueOptions.of(SEND_REPORT, 2))
                .retry(SHORT_BACKOFF.withMaxAttempts(5))
                .handler(tracked(SEND_REPORT, (delivery, ctx) -> {
                    sleep(delivery.durationMs(), ctx);
                    store.recordReportSent(SEND_REPORT, delivery.reportId());
                    return Map.of("sent", delivery.reportId());
                }))
                .build();
    }

    private TaskDefinition<Report> processReport() {
        return task(PROCESS_REPORT, Report.class)
                .queue(QueueOptions.of(PROCESS_REPORT, 5))
                .maxDuration(Duration.ofMinutes(10))
                .handler(tracked(PROCESS_REPORT, (report, ctx) -> {
                    sleep(report.durationMs(), ctx);
                    store.recordReportGenerated(PROCESS_REPORT, report.reportId());
                    return Map.of("reportId", report.reportId());
                }))
                .build();
    }

    // ------------------------------------------------------------------ the new event type (extensibility 2)

    private TaskDefinition<SensorReading> iotDataProcessor() {
        return task(IOT_DATA_PROCESSOR, SensorReading.class)
                .handler(tracked(IOT_DATA_PROCESSOR, (reading, ctx) -> {
                    store.recordSensorReading(IOT_DATA_PROCESSOR, reading);
                    return Map.of("stored", reading.sensorId());
                }))
                .build();
    }

    // ------------------------------------------------------------------ for benchmarks, tests and demos

    private TaskDefinition<JsonNode> noop() {
        return task(NOOP, JsonNode.class)
                .handler(tracked(NOOP, (payload, ctx) -> null))
                .build();
    }

    private TaskDefinition<Sleep> sleep() {
        return task(SLEEP, Sleep.class)
                .handler(tracked(SLEEP, (s, ctx) -> {
                    sleep(s.ms(), ctx);
                    return Map.of("sleptMs", s.ms());
                }))
                .build();
    }

    private TaskDefinition<Flaky> flaky() {
        return task(FLAKY, Flaky.class)
                .retry(SHORT_BACKOFF.withMaxAttempts(5))
                .handler(tracked(FLAKY, (f, ctx) -> {
                    if (ctx.attempt() <= f.failTimes()) {
                        throw new IllegalStateException("flaky: planned failure " + ctx.attempt() + " of " + f.failTimes());
                    }
                    return Map.of("succeededOnAttempt", ctx.attempt());
                }))
                .build();
    }

    private TaskDefinition<AlwaysFail> alwaysFail() {
        return task(ALWAYS_FAIL, AlwaysFail.class)
                .retry(SHORT_BACKOFF)
                .handler(tracked(ALWAYS_FAIL, (f, ctx) -> {
                    throw new IllegalStateException(f == null || f.message() == null ? "always fails" : f.message());
                }))
                .build();
    }

    // ------------------------------------------------------------------ helpers

    private static <P> TaskDefinition.Builder<P> task(String id, Class<P> payloadType) {
        return TaskDefinition.builder(id, payloadType).payloadSchema(schema(id));
    }

    /** Counts the task's runs in flight on its gauge around the handler. */
    private <P> TaskHandler<P> tracked(String taskId, TaskHandler<P> handler) {
        Gauge gauge = store.gauge(taskId);
        return (payload, ctx) -> {
            try (Gauge.Entry ignored = gauge.enter()) {
                return handler.run(payload, ctx);
            }
        };
    }

    /** Waits {@code ms} on the clock; a cancel or timeout interrupts it. */
    private void sleep(Long ms, TaskContext ctx) throws InterruptedException {
        if (ms == null || ms <= 0) {
            return;
        }
        long until = clock.millis() + ms;
        // counted once the deadline is fixed, so a test that sees it may move the clock
        try (Gauge.Entry ignored = store.sleeping().enter()) {
            clock.sleepUntil(until);
        }
        ctx.throwIfCancelled();
    }

    /** A payment the card issuer refused. */
    public static final class CardDeclinedException extends RuntimeException {
        public CardDeclinedException(String message) {
            super(message);
        }
    }

    public static final class Builder {
        private EngineClock clock = EngineClock.system();
        private DemoStore store = new DemoStore();
        private ToDoubleFunction<Payment> fraudScorer = DemoTasks::scoreByAmount;
        private List<String> paymentConsumers = List.of(FRAUD_DETECTION);

        private Builder() {
        }

        /** The clock durations are waited on: the engine's. */
        public Builder clock(EngineClock value) { clock = Objects.requireNonNull(value, "clock"); return this; }

        public Builder store(DemoStore value) { store = Objects.requireNonNull(value, "store"); return this; }

        /** How fraud-detection scores a payment, in [0, 1] (default: by amount, 10,000 scores 1). */
        public Builder fraudScorer(ToDoubleFunction<Payment> value) { fraudScorer = Objects.requireNonNull(value, "fraudScorer"); return this; }

        /** The tasks process-payment triggers for every payment (default: fraud-detection). */
        public Builder paymentConsumers(List<String> taskIds) { paymentConsumers = List.copyOf(taskIds); return this; }

        public DemoTasks build() {
            return new DemoTasks(this);
        }
    }
}
