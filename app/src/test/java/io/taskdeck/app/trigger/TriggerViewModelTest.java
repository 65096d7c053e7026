package io.taskdeck.app.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.app.runs.TriggerSnippets;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerViewModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSyntaxErrorNamesLineAndColumnAndWhereItIs() {
        PayloadCheck check = PayloadCheck.of("{\n  \"a\": 1,\n  \"b\" 2\n}", null);

        assertThat(check.valid()).isFalse();
        assertThat(check.problems().get(0)).startsWith("Line 3, column 7: ");
        assertThat(check.offset()).isBetween(14, 18);
    }

    @Test
    void aSchemaViolationNamesTheField() throws Exception {
        var schema = JSON.readTree("{\"type\":\"object\",\"required\":[\"ms\"],\"properties\":{\"ms\":{\"type\":\"integer\"}}}");

        assertThat(PayloadCheck.of("{\"ms\": \"soon\"}", schema).problems()).singleElement().asString().contains("ms");
        assertThat(PayloadCheck.of("{\"ms\": 5}", schema).valid()).isTrue();
        assertThat(SchemaSample.of(schema).toString()).isEqualTo("{\"ms\":0}");
    }

    @Test
    void optionsAreCheckedFieldByField() {
        TriggerViewModel vm = new TriggerViewModel(() -> null, io.taskdeck.app.concurrent.UiTasks.currentThread(e -> { }));
        vm.delayProperty().set("5 minutes");
        assertThat(vm.optionsProblemProperty().get()).startsWith("Delay: '5 minutes' is not a duration");
        vm.delayProperty().set("5m");
        vm.priorityProperty().set("-1");
        assertThat(vm.optionsProblemProperty().get()).isEqualTo("Priority must be at least 0, got -1");
        vm.priorityProperty().set("10");
        vm.metadataProperty().set("[1]");
        assertThat(vm.optionsProblemProperty().get()).startsWith("Metadata must be a JSON object");
        vm.metadataProperty().set("{\"by\":\"me\"}");
        vm.tagsProperty().set("a, b");
        assertThat(vm.optionsProblemProperty().get()).isNull();

        var options = vm.buildOptions();
        assertThat(options.delay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(options.tags()).containsExactly("a", "b");
        assertThat(options.priority()).isEqualTo(10);
    }

    @Test
    void curlAndSdkReproduceTheTrigger() throws Exception {
        Run run = new Run("run_1", "send-report", RunStatus.COMPLETED, "reports", "ws-1", "k1", List.of("a"), null, 10,
                JSON.readTree("{\"id\":\"it's\"}"), null, null, 1, 3, Instant.EPOCH, null, null, null,
                Duration.ofMinutes(10), null, null, 1);

        assertThat(TriggerSnippets.curl("http://h:7820", run, run.payload()))
                .startsWith("curl -X POST 'http://h:7820/api/taskdeck/v1/tasks/send-report/trigger'")
                .contains("\"idempotencyKey\":\"k1\"", "\"concurrencyKey\":\"ws-1\"", "\"ttl\":\"PT10M\"",
                        "it'\\''s");
        assertThat(TriggerSnippets.sdk(run, run.payload()))
                .contains("await tasks.trigger(\"send-report\", {\"id\":\"it's\"}, {")
                .contains("\"ttl\":\"10m\"", "\"priority\":10", "\"tags\":[\"a\"]");
    }
}
