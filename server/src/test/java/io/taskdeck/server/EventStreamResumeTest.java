package io.taskdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.client.Role;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStatus;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cuts SSE connections after every few events and resumes with Last-Event-ID, while runs keep
 * producing events: the union of what was received must be exactly the journal, no gap, no repeat.
 */
class EventStreamResumeTest {
    private static final String SECRET = "sse-resume-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Engine engine;
    private TaskdeckServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        engine = ContractTasks.newEngine();
        server = TaskdeckServer.builder().engine(engine).host("127.0.0.1").port(0)
                .key(new ApiKey("sse", SECRET, Role.VIEWER)).start();
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(5));
        engine.stop(Duration.ofSeconds(5));
    }

    private record Read(List<JsonNode> events, String firstEvent) {
    }

    /** Opens the stream after {@code lastEventId} and reads at most {@code max} run events, then hangs up. */
    private Read readSome(Long lastEventId, int max) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/taskdeck/v1/events"))
                .header("Authorization", "Bearer " + SECRET).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            req.header("Last-Event-ID", Long.toString(lastEventId));
        }
        HttpResponse<InputStream> res = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<JsonNode> events = new ArrayList<>();
        String first = null;
        try (InputStream in = res.body();
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String event = null;
            String id = null;
            String line;
            while (events.size() < max && (line = reader.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    if (first == null) {
                        first = event;
                    }
                    if ("run".equals(event)) {
                        JsonNode data = JSON.readTree(line.substring(6));
                        assertThat(id).isEqualTo(data.get("seq").asText());
                        events.add(data);
                    }
                } else if (line.isEmpty()) {
                    event = null;
                    id = null;
                }
            }
        }
        return new Read(events, first);
    }

    @Test
    void resumingAfterCutsLosesAndRepeatsNothing() throws Exception {
        int runs = 40;
        Thread producer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < runs; i++) {
                engine.trigger(i % 3 == 0 ? "flaky" : "noop", Map.of("failTimes", 1));
            }
        });
        List<JsonNode> received = new ArrayList<>();
        long last = 0;
        int connections = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            producer.join(Duration.ZERO);
            boolean settled = !producer.isAlive() && engine.runs(RunQuery.builder()
                    .status(RunStatus.QUEUED, RunStatus.EXECUTING, RunStatus.DELAYED).limit(1).build()).runs().isEmpty();
            long head = engine.journal().lastSeq();
            if (settled && last == head) {
                break;
            }
            assertThat(System.nanoTime()).as("time left").isLessThan(deadline);
            int k = 1 + connections % 7;
            // A stream opened at the head with nothing new to send would wait for the next event: read what exists.
            Read read = readSome(last, (int) Math.min(k, Math.max(1, head - last)));
            connections++;
            assertThat(read.firstEvent()).isEqualTo("ready");
            received.addAll(read.events());
            if (!read.events().isEmpty()) {
                last = read.events().getLast().get("seq").asLong();
            }
        }
        List<JournalEvent> journal = engine.journal().read(0, 100_000);
        assertThat(received).extracting(e -> e.get("seq").asLong())
                .containsExactlyElementsOf(journal.stream().map(JournalEvent::seq).toList());
        for (int i = 0; i < journal.size(); i++) {
            JournalEvent e = journal.get(i);
            JsonNode runId = received.get(i).get("runId");
            assertThat(runId == null || runId.isNull() ? null : runId.asText()).as("runId of seq %d", e.seq())
                    .isEqualTo(e.runId());
        }
        assertThat(connections).isGreaterThan(10);
    }

    @Test
    void aBadLastEventIdIsA400WithAJsonBody() throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/taskdeck/v1/events"))
                .header("Authorization", "Bearer " + SECRET).header("Last-Event-ID", "abc").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(res.body()).get("fieldErrors").get(0).get("field").asText()).isEqualTo("Last-Event-ID");
    }
}
