package io.taskdeck.examples;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * The payloads of the demo tasks, as the handlers bind them. Each task also publishes a JSON
 * Schema of the same shape (see {@link DemoTasks#schema(String)}), which is what a trigger made
 * over HTTP or from the console is validated against.
 */
public final class DemoPayloads {

    private DemoPayloads() {
    }

    /** process-payment, fraud-detection. A negative amount is declined. */
    public record Payment(String paymentId, double amount) {
    }

    /** alert-fraud-team: the payment and the score that raised the alert. */
    public record FraudAlert(String paymentId, double amount, double riskScore) {
    }

    /** payment-dead-letter: a payment that failed for good, with the last error. */
    public record PaymentDeadLetter(Payment originalPayload, String error, String failedRunId) {
    }

    /**
     * send-welcome-email.
     *
     * @param crashAfterSendAttempts a demo knob: the first this-many attempts crash right after the
     *                               mail went out, as a worker dying before it acknowledged would
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WelcomeEmail(String userId, String email, Integer crashAfterSendAttempts) {
        public WelcomeEmail(String userId, String email) {
            this(userId, email, null);
        }
    }

    /**
     * update-workspace. Callers pass {@code concurrencyKey = workspaceId}.
     *
     * @param durationMs    how long applying the update takes (0 when absent)
     * @param correlationId optional, added in the schema's second version: old payloads without it stay valid
     * @param source        optional, added with correlationId
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorkspaceUpdate(String workspaceId, Map<String, Object> data, Long durationMs,
                                  String correlationId, String source) {
        public WorkspaceUpdate(String workspaceId, Map<String, Object> data) {
            this(workspaceId, data, null, null, null);
        }

        public WorkspaceUpdate(String workspaceId, Map<String, Object> data, long durationMs) {
            this(workspaceId, data, durationMs, null, null);
        }
    }

    /** update-workspace-cache: refresh the read model of a workspace from its authoritative record. */
    public record WorkspaceCacheRefresh(String workspaceId, long version) {
    }

    /** process-analytics. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AnalyticsEvent(String userId, String activity, Long durationMs) {
        public AnalyticsEvent(String userId, String activity) {
            this(userId, activity, null);
        }
    }

    /** send-report. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReportDelivery(String reportId, String recipient, Long durationMs) {
    }

    /** process-report. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Report(String reportId, Long durationMs) {
        public Report(String reportId) {
            this(reportId, null);
        }
    }

    /** iot-data-processor: the new event type nothing else reacts to. */
    public record SensorReading(String sensorId, double reading, String timestamp, String location) {
    }

    /** sleep. */
    public record Sleep(long ms) {
    }

    /** flaky: fails the first {@code failTimes} attempts, then succeeds. */
    public record Flaky(int failTimes) {
    }

    /** always-fail. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AlwaysFail(String message) {
    }
}
