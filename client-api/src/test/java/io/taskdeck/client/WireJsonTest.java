package io.taskdeck.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire format the server will write with the same records and mapper. */
class WireJsonTest {
    private final ObjectMapper json = TaskdeckJson.newMapper();

    @Test
    void aRunRoundTripsWithIsoTimesAndDurations() throws Exception {
        Run run = new Run("run_1", "noop", RunStatus.DELAYED, "noop", "ws-1", "k1", List.of("a"),
                json.readTree("{\"m\":1}"), 10, json.readTree("[1,2]"), null, new RunError("boom", "E", "at x"),
                0, 3, Instant.parse("2025-01-31T12:00:00.123Z"), null, null,
                Instant.parse("2025-01-31T13:00:00Z"), Duration.ofMinutes(10), null, null, 5);

        String text = json.writeValueAsString(run);
        JsonNode tree = json.readTree(text);

        assertThat(tree.get("createdAt").asText()).isEqualTo("2025-01-31T12:00:00.123Z");
        assertThat(tree.get("ttl").asText()).isEqualTo("PT10M");
        assertThat(tree.get("status").asText()).isEqualTo("DELAYED");
        assertThat(tree.has("startedAt")).as("null fields are written").isTrue();
        assertThat(json.readValue(text, Run.class)).isEqualTo(run);
    }

    @Test
    void lowerCaseEnumsAndMapsKeyedByStatus() throws Exception {
        assertThat(json.writeValueAsString(Role.OPERATOR)).isEqualTo("\"operator\"");
        assertThat(json.writeValueAsString(BulkActionState.ABORTED)).isEqualTo("\"aborted\"");
        assertThat(json.writeValueAsString(BulkActionKind.REQUEUE)).isEqualTo("\"requeue\"");
        Stats stats = json.readValue("{\"runsByStatus\":{\"QUEUED\":3}}", Stats.class);
        assertThat(stats.runsByStatus()).isEqualTo(Map.of(RunStatus.QUEUED, 3L));
    }

    @Test
    void aNewerServersExtrasAreTolerated() throws Exception {
        RunEvent event = json.readValue("""
                {"seq":1,"runId":"run_1","type":"SOMETHING_NEW","status":"QUEUED","shinyNewField":true}""",
                RunEvent.class);
        assertThat(event.type()).isEqualTo(RunEventType.UNKNOWN);
    }

    @Test
    void aQueueEventHasNoRunAndNoStatus() throws Exception {
        RunEvent event = json.readValue("""
                {"seq":7,"at":"2025-01-31T12:00:00Z","runId":null,"queue":"reports","type":"QUEUE_UPDATED",
                 "status":null,"details":{"queue":"reports","change":"paused"}}""", RunEvent.class);
        assertThat(event.isQueueEvent()).isTrue();
        assertThat(event.runId()).isNull();
        assertThat(event.details().get("change").asText()).isEqualTo("paused");
    }

    @Test
    void aRunEventWithoutARunIsRefused() {
        assertThatThrownBy(() -> json.readValue("{\"seq\":1,\"type\":\"STATUS_CHANGED\",\"status\":\"QUEUED\"}",
                RunEvent.class)).hasMessageContaining("runId");
    }

    @Test
    void anErrorBodyWithoutFieldErrorsHasAnEmptyList() throws Exception {
        ErrorBody body = json.readValue("{\"error\":\"not_found\",\"message\":\"no run\"}", ErrorBody.class);
        assertThat(body.fieldErrors()).isEmpty();
    }

    @Test
    void statusClassification() {
        assertThat(RunStatus.COMPLETED.isFinal()).isTrue();
        assertThat(RunStatus.COMPLETED.isFailure()).isFalse();
        assertThat(RunStatus.TIMED_OUT.isFailure()).isTrue();
        assertThat(RunStatus.WAITING.isFinal()).isFalse();
        assertThat(RunStatus.CANCELED.isFailure()).isFalse();
    }

    @Test
    void triggerOptionsRejectWhatTheServerWouldReject() {
        assertThatThrownBy(() -> TriggerOptions.builder().tags("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11")
                .build()).hasMessageContaining("at most 10 tags");
        assertThatThrownBy(() -> TriggerOptions.builder().tags("x".repeat(128)).build())
                .hasMessageContaining("1 to 127 characters");
        assertThatThrownBy(() -> TriggerOptions.builder().delay(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("delay must not be negative");
        assertThatThrownBy(() -> TriggerOptions.builder().maxAttempts(0).build())
                .hasMessageContaining("maxAttempts must be >= 1");
        assertThatThrownBy(() -> TriggerOptions.builder().metadata(json.getNodeFactory().textNode("x")).build())
                .hasMessageContaining("metadata must be a JSON object");
    }

    @Test
    void requestsNameWhatIsWrong() {
        assertThatThrownBy(() -> new BulkActionRequest(BulkActionKind.CANCEL, List.of("run_1"), RunFilter.ALL, null, null))
                .hasMessageContaining("either runIds or a filter");
        assertThatThrownBy(() -> BulkActionRequest.of(BulkActionKind.CANCEL, List.of()))
                .hasMessageContaining("1 to 10000 ids");
        assertThatThrownBy(() -> BulkActionRequest.of(BulkActionKind.CANCEL, RunFilter.ALL)
                .withRequeueOptions(RequeueOptions.AS_IS)).hasMessageContaining("only apply to a requeue");
        assertThatThrownBy(() -> PageRequest.first(0)).hasMessageContaining("between 1 and 500");
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        assertThatThrownBy(() -> RunFilter.builder().createdBetween(t, t).build())
                .hasMessageContaining("must be before");
    }
}
