package io.taskdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.client.Role;
import io.taskdeck.engine.Engine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Health, readiness through shutdown, metrics, the OpenAPI document, and roles. */
class ServerOperationsTest {
    private static final String OPS = "ops-secret-0123456789abcdef";
    private static final String VIEW = "view-secret-0123456789abcdef";

    private Engine engine;
    private TaskdeckServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        engine = ContractTasks.newEngine();
        server = TaskdeckServer.builder().engine(engine).host("127.0.0.1").port(0)
                .key(new ApiKey("ops", OPS, Role.OPERATOR)).key(new ApiKey("view", VIEW, Role.VIEWER)).start();
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(5));
        engine.stop(Duration.ofSeconds(5));
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthNeedsNoKeyButEverythingElseDoes() throws Exception {
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
        assertThat(get("/readyz", null).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/taskdeck/v1/whoami", VIEW).body()).contains("\"viewer\"").contains("\"view\"");
    }

    @Test
    void aViewerMayReadButNotAct() throws Exception {
        HttpResponse<String> refused = post("/api/taskdeck/v1/tasks/noop/trigger", VIEW, "{}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"forbidden\"").contains("viewer");
        assertThat(post("/api/taskdeck/v1/tasks/noop/trigger", OPS, "{}").statusCode()).isEqualTo(201);
        assertThat(get("/api/taskdeck/v1/runs", VIEW).statusCode()).isEqualTo(200);
    }

    @Test
    void anOverrideRecordsTheKeyThatSetIt() throws Exception {
        HttpResponse<String> res = post("/api/taskdeck/v1/queues/noop/concurrency/override", OPS, "{\"concurrencyLimit\":2}");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).contains("\"by\":\"ops\"");
    }

    @Test
    void metricsShowQueuesAndRuns() throws Exception {
        engine.trigger("noop", Map.of());
        assertThat(get("/api/taskdeck/v1/stats", VIEW).statusCode()).isEqualTo(200);
        String metrics = get("/metrics", VIEW).body();
        assertThat(metrics).contains("taskdeck_queue_queued{queue=\"noop\"}").contains("taskdeck_queue_running")
                .contains("taskdeck_http_requests_seconds_bucket").contains("taskdeck_runs_triggered_total");
    }

    @Test
    void theOpenApiDocumentListsEveryEndpoint() throws Exception {
        HttpResponse<String> res = get(TaskdeckServer.OPENAPI_PATH, VIEW);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).contains("openapi: 3.0.3", "/api/taskdeck/v1/runs/{runId}/requeue", "/api/taskdeck/v1/events",
                "/api/taskdeck/v1/bulk-actions/{id}/abort", "/api/v3/runs/{runId}", "/api/v1/queues/{queue}/concurrency/override");
    }

    @Test
    void readinessFailsWhenTheEngineStopsAndHealthStaysUp() throws Exception {
        engine.stop(Duration.ofSeconds(1));
        HttpResponse<String> ready = get("/readyz", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"unavailable\"");
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
    }
}
