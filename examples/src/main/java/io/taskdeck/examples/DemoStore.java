package io.taskdeck.examples;

import io.taskdeck.examples.DemoPayloads.FraudAlert;
import io.taskdeck.examples.DemoPayloads.Payment;
import io.taskdeck.examples.DemoPayloads.PaymentDeadLetter;
import io.taskdeck.examples.DemoPayloads.SensorReading;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo tasks' side effects, in memory: charges, fraud scores and alerts, dead-letter records,
 * sent mails, the authoritative workspace records with the order updates were applied in, the
 * workspace cache (the CQRS read model), sensor readings, analytics and reports.
 *
 * <p>Each kind of data is a {@link Section} owned by the tasks that may write it; every write names
 * its writer, so {@link #writers()} shows whether ownership held. Thread-safe.
 */
public final class DemoStore {

    /** The data modules, each owned by its tasks. */
    public enum Section {
        PAYMENTS, FRAUD, FRAUD_ALERTS, PAYMENT_DEAD_LETTERS, MAIL, WORKSPACES, WORKSPACE_CACHE, IOT, ANALYTICS, REPORTS
    }

    /** A payment that was charged, once per payment id however often its run was tried. */
    public record Charge(String paymentId, double amount, String runId) {
    }

    /** A mail handed to the (pretend) mail provider. */
    public record SentMail(String userId, String email, String template, String runId) {
    }

    /** The authoritative record of a workspace: its data after {@code version} updates. */
    public record WorkspaceRecord(String workspaceId, long version, Map<String, Object> data) {
        public WorkspaceRecord {
            data = frozen(data);
        }
    }

    /** One applied update, in the order it was applied. */
    public record AppliedUpdate(String workspaceId, long version, Map<String, Object> data, String runId) {
    }

    /** The read model of a workspace: the record's data denormalized with its update count. */
    public record CachedWorkspace(String workspaceId, long version, Map<String, Object> data, long updateCount) {
        public CachedWorkspace {
            data = frozen(data);
        }
    }

    /** JSON data may hold nulls, which Map.copyOf refuses. */
    private static Map<String, Object> frozen(Map<String, Object> data) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data == null ? Map.of() : data));
    }

    private final Map<Section, Set<String>> writers = new ConcurrentHashMap<>();
    private final Map<String, Gauge> taskGauges = new ConcurrentHashMap<>();
    private final Map<String, Gauge> workspaceGauges = new ConcurrentHashMap<>();
    private final Gauge sleeping = new Gauge("handlers waiting on the clock");

    private final Map<String, Charge> charges = new LinkedHashMap<>();
    private final List<Payment> declines = new ArrayList<>();
    private final Map<String, Double> riskScores = new LinkedHashMap<>();
    private final List<FraudAlert> fraudAlerts = new ArrayList<>();
    private final List<PaymentDeadLetter> paymentDeadLetters = new ArrayList<>();
    private final List<SentMail> outbox = new ArrayList<>();
    private final Set<String> welcomed = new LinkedHashSet<>();
    private final Map<String, WorkspaceRecord> workspaces = new TreeMap<>();
    private final Map<String, AppliedUpdate> updatesByRun = new LinkedHashMap<>();
    private final List<AppliedUpdate> appliedUpdates = new ArrayList<>();
    private final Map<String, CachedWorkspace> workspaceCache = new TreeMap<>();
    private final List<SensorReading> sensorReadings = new ArrayList<>();
    private final Map<String, Long> analyticsByUser = new TreeMap<>();
    private final Set<String> reportsGenerated = new LinkedHashSet<>();
    private final List<String> reportsSent = new ArrayList<>();

    private void wrote(Section section, String writer) {
        writers.computeIfAbsent(section, s -> ConcurrentHashMap.newKeySet()).add(writer);
    }

    /** Which task ids wrote each section so far. */
    public Map<Section, Set<String>> writers() {
        Map<Section, Set<String>> out = new TreeMap<>();
        writers.forEach((k, v) -> out.put(k, Set.copyOf(v)));
        return out;
    }

    // ------------------------------------------------------------------ gauges

    /** Runs of this task executing now, and the most at once. */
    public Gauge gauge(String taskId) {
        return taskGauges.computeIfAbsent(taskId, Gauge::new);
    }

    /** update-workspace runs of this workspace applying now, and the most at once. */
    public Gauge workspaceGauge(String workspaceId) {
        return workspaceGauges.computeIfAbsent(workspaceId, id -> new Gauge("workspace " + id));
    }

    /** Handlers waiting out a {@code durationMs} / {@code sleep} right now, their end already fixed. */
    public Gauge sleeping() {
        return sleeping;
    }

    public Map<String, Gauge> workspaceGauges() {
        return Map.copyOf(workspaceGauges);
    }

    // ------------------------------------------------------------------ payments

    /** Charges a payment unless it was charged already; true when this call charged it. */
    public synchronized boolean charge(String writer, Payment payment, String runId) {
        wrote(Section.PAYMENTS, writer);
        return charges.putIfAbsent(payment.paymentId(), new Charge(payment.paymentId(), payment.amount(), runId)) == null;
    }

    public synchronized void decline(String writer, Payment payment) {
        wrote(Section.PAYMENTS, writer);
        declines.add(payment);
    }

    public synchronized Map<String, Charge> charges() {
        return Map.copyOf(charges);
    }

    /** Every declined attempt, one entry per attempt. */
    public synchronized List<Payment> declines() {
        return List.copyOf(declines);
    }

    public synchronized void recordRiskScore(String writer, String paymentId, double score) {
        wrote(Section.FRAUD, writer);
        riskScores.put(paymentId, score);
    }

    public synchronized Map<String, Double> riskScores() {
        return Map.copyOf(riskScores);
    }

    public synchronized void recordFraudAlert(String writer, FraudAlert alert) {
        wrote(Section.FRAUD_ALERTS, writer);
        fraudAlerts.add(alert);
    }

    public synchronized List<FraudAlert> fraudAlerts() {
        return List.copyOf(fraudAlerts);
    }

    public synchronized void recordPaymentDeadLetter(String writer, PaymentDeadLetter record) {
        wrote(Section.PAYMENT_DEAD_LETTERS, writer);
        paymentDeadLetters.add(record);
    }

    public synchronized List<PaymentDeadLetter> paymentDeadLetters() {
        return List.copyOf(paymentDeadLetters);
    }

    // ------------------------------------------------------------------ mail

    /** Whether a welcome mail to this user was recorded as sent. */
    public synchronized boolean welcomeSent(String userId) {
        return welcomed.contains(userId);
    }

    /** Hands a mail to the provider; the provider delivers whatever it is given, duplicates included. */
    public synchronized void sendMail(String writer, SentMail mail) {
        wrote(Section.MAIL, writer);
        outbox.add(mail);
    }

    public synchronized void recordWelcomeSent(String writer, String userId) {
        wrote(Section.MAIL, writer);
        welcomed.add(userId);
    }

    /** Every mail delivered, in order, duplicates included. */
    public synchronized List<SentMail> outbox() {
        return List.copyOf(outbox);
    }

    public synchronized List<SentMail> mailsTo(String userId) {
        return outbox.stream().filter(m -> m.userId().equals(userId)).toList();
    }

    // ------------------------------------------------------------------ workspaces (command side)

    /**
     * Applies an update to the authoritative record and returns the version it produced. Applying
     * the same run's update again (a retry after the write) returns the same version.
     */
    public synchronized AppliedUpdate applyWorkspaceUpdate(String writer, String workspaceId, Map<String, Object> data,
                                                           String runId) {
        wrote(Section.WORKSPACES, writer);
        AppliedUpdate done = updatesByRun.get(runId);
        if (done != null) {
            return done;
        }
        WorkspaceRecord current = workspaces.get(workspaceId);
        Map<String, Object> merged = new LinkedHashMap<>(current == null ? Map.of() : current.data());
        if (data != null) {
            merged.putAll(data);
        }
        long version = current == null ? 1 : current.version() + 1;
        workspaces.put(workspaceId, new WorkspaceRecord(workspaceId, version, merged));
        AppliedUpdate applied = new AppliedUpdate(workspaceId, version, frozen(data), runId);
        updatesByRun.put(runId, applied);
        appliedUpdates.add(applied);
        return applied;
    }

    public synchronized java.util.Optional<WorkspaceRecord> workspace(String workspaceId) {
        return java.util.Optional.ofNullable(workspaces.get(workspaceId));
    }

    public synchronized Map<String, WorkspaceRecord> workspaces() {
        return Map.copyOf(workspaces);
    }

    /** Every applied update, in the order applied. */
    public synchronized List<AppliedUpdate> appliedUpdates() {
        return List.copyOf(appliedUpdates);
    }

    public synchronized List<AppliedUpdate> appliedUpdates(String workspaceId) {
        return appliedUpdates.stream().filter(u -> u.workspaceId().equals(workspaceId)).toList();
    }

    // ------------------------------------------------------------------ workspace cache (query side)

    /**
     * Refreshes the cached workspace from its authoritative record, unless the cache already holds
     * that version or a newer one (refreshes may arrive out of order). Returns what the cache holds.
     */
    public synchronized CachedWorkspace refreshWorkspaceCache(String writer, String workspaceId) {
        wrote(Section.WORKSPACE_CACHE, writer);
        WorkspaceRecord record = workspaces.get(workspaceId);
        CachedWorkspace cached = workspaceCache.get(workspaceId);
        if (record == null || (cached != null && cached.version() >= record.version())) {
            return cached;
        }
        CachedWorkspace fresh = new CachedWorkspace(workspaceId, record.version(), record.data(), record.version());
        workspaceCache.put(workspaceId, fresh);
        return fresh;
    }

    /** A read: served from the cache only. */
    public synchronized java.util.Optional<CachedWorkspace> cachedWorkspace(String workspaceId) {
        return java.util.Optional.ofNullable(workspaceCache.get(workspaceId));
    }

    public synchronized Map<String, CachedWorkspace> workspaceCache() {
        return Map.copyOf(workspaceCache);
    }

    /** Drops the read model, as one would after a projection bug, before rebuilding it. */
    public synchronized void clearWorkspaceCache(String writer) {
        wrote(Section.WORKSPACE_CACHE, writer);
        workspaceCache.clear();
    }

    // ------------------------------------------------------------------ the rest

    public synchronized void recordSensorReading(String writer, SensorReading reading) {
        wrote(Section.IOT, writer);
        sensorReadings.add(reading);
    }

    public synchronized List<SensorReading> sensorReadings() {
        return List.copyOf(sensorReadings);
    }

    /** Replaces the IoT module's data, e.g. when its storage shape changes. Touches nothing else. */
    public synchronized void replaceSensorReadings(String writer, List<SensorReading> readings) {
        wrote(Section.IOT, writer);
        sensorReadings.clear();
        sensorReadings.addAll(readings);
    }

    public synchronized void recordAnalytics(String writer, String userId) {
        wrote(Section.ANALYTICS, writer);
        analyticsByUser.merge(userId, 1L, Long::sum);
    }

    public synchronized Map<String, Long> analyticsByUser() {
        return Map.copyOf(analyticsByUser);
    }

    /** Records a generated report; false when it was generated before. */
    public synchronized boolean recordReportGenerated(String writer, String reportId) {
        wrote(Section.REPORTS, writer);
        return reportsGenerated.add(reportId);
    }

    public synchronized Set<String> reportsGenerated() {
        return Set.copyOf(reportsGenerated);
    }

    public synchronized void recordReportSent(String writer, String reportId) {
        wrote(Section.REPORTS, writer);
        reportsSent.add(reportId);
    }

    public synchronized List<String> reportsSent() {
        return List.copyOf(reportsSent);
    }

    /** An immutable copy of one section's data, for comparing before and after. */
    public synchronized Object snapshot(Section section) {
        return switch (section) {
            case PAYMENTS -> List.of(Map.copyOf(charges), List.copyOf(declines));
            case FRAUD -> Map.copyOf(riskScores);
            case FRAUD_ALERTS -> List.copyOf(fraudAlerts);
            case PAYMENT_DEAD_LETTERS -> List.copyOf(paymentDeadLetters);
            case MAIL -> List.of(List.copyOf(outbox), Set.copyOf(welcomed));
            case WORKSPACES -> List.of(Map.copyOf(workspaces), List.copyOf(appliedUpdates));
            case WORKSPACE_CACHE -> Map.copyOf(workspaceCache);
            case IOT -> List.copyOf(sensorReadings);
            case ANALYTICS -> Map.copyOf(analyticsByUser);
            case REPORTS -> List.of(Set.copyOf(reportsGenerated), List.copyOf(reportsSent));
        };
    }
}
