package io.taskdeck.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpTaskServerTest {
    private static final Duration NO_HANG = Duration.ofSeconds(10);

    private final ObjectMapper json = TaskdeckJson.newMapper();
    private MockWebServer web;
    private HttpTaskServer server;

    @BeforeEach
    void start() throws IOException {
        web = new MockWebServer();
        web.start();
        server = client().build();
    }

    @AfterEach
    void stop() {
        server.close();
        web.close();
    }

    private HttpTaskServer.Builder client() {
        return HttpTaskServer.builder()
                .baseUrl(web.url("/").toString())
                .apiKey("tr_secret")
                .readTimeout(Duration.ofMillis(500))
                .callTimeout(Duration.ofSeconds(2))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
    }

    private void answer(int code, String body) {
        web.enqueue(new MockResponse(code, Headers.of("Content-Type", "application/json"), body));
    }

    private RecordedRequest taken() throws InterruptedException {
        RecordedRequest request = web.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("request reached the server").isNotNull();
        return request;
    }

    private JsonNode bodyOf(RecordedRequest request) throws IOException {
        return json.readTree(request.getBody().utf8());
    }

    // --- happy paths: the JSON mapping of each call ---------------------------------------------

    @Test
    void triggerPostsPayloadAndOptionsWithBearerKey() throws Exception {
        answer(201, "{\"id\":\"run_1\",\"cached\":false}");

        TriggerResult result = server.trigger("process-report", json.readTree("{\"reportId\":\"r1\"}"),
                TriggerOptions.builder().idempotencyKey("k1", Duration.ofHours(1)).concurrencyKey("ws-1")
                        .delay(Duration.ofSeconds(5)).ttl(Duration.ofMinutes(10)).tags("a").priority(10)
                        .maxAttempts(4).queue("reports").metadata(json.readTree("{\"by\":\"me\"}")).build());

        assertThat(result).isEqualTo(new TriggerResult("run_1", false));
        RecordedRequest request = taken();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/api/taskdeck/v1/tasks/process-report/trigger");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer tr_secret");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(bodyOf(request)).isEqualTo(json.readTree("""
                {"payload":{"reportId":"r1"},
                 "options":{"idempotencyKey":"k1","idempotencyKeyTTL":"PT1H","concurrencyKey":"ws-1",
                   "delay":"PT5S","ttl":"PT10M","tags":["a"],"metadata":{"by":"me"},"priority":10,
                   "maxAttempts":4,"queue":"reports"}}"""));
    }

    @Test
    void batchTriggerSendsItemsInOrderAndReturnsResultsInOrder() throws Exception {
        answer(201, "{\"data\":[{\"id\":\"run_a\",\"cached\":false},{\"id\":\"run_b\",\"cached\":true}]}");

        List<TriggerResult> results = server.batchTrigger(List.of(
                new TriggerRequest("noop", json.readTree("1"), null),
                new TriggerRequest("sleep", json.readTree("{\"ms\":5}"), TriggerOptions.builder().tags("x").build())));

        assertThat(results).extracting(TriggerResult::id).containsExactly("run_a", "run_b");
        assertThat(results.get(1).cached()).isTrue();
        RecordedRequest request = taken();
        assertThat(request.getTarget()).isEqualTo("/api/taskdeck/v1/tasks/batch");
        JsonNode items = bodyOf(request).get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("taskId").asText()).isEqualTo("noop");
        assertThat(items.get(1).get("options").get("tags").get(0).asText()).isEqualTo("x");
    }

    @Test
    void listRunsSendsEveryFilterAsQueryParametersAndReadsTheCursor() throws Exception {
        answer(200, """
                {"data":[{"id":"run_2","taskId":"noop","status":"FAILED","queue":"default","tags":["t"],
                  "priority":0,"attemptCount":3,"maxAttempts":3,"createdAt":"2025-01-31T12:00:00.123Z",
                  "error":{"message":"boom","type":"IllegalStateException","stack":"at x"},"seq":42}],
                 "nextCursor":"c2"}""");

        Page<Run> page = server.listRuns(RunFilter.builder()
                        .statuses(RunStatus.FAILED, RunStatus.CRASHED).taskId("noop").queue("q/1").tag("t")
                        .createdBetween(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-02-01T00:00:00Z"))
                        .search("idem-1").build(),
                PageRequest.first(20).after("c1"));

        assertThat(page.nextCursor()).isEqualTo("c2");
        Run run = page.data().getFirst();
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.createdAt()).isEqualTo(Instant.parse("2025-01-31T12:00:00.123Z"));
        assertThat(run.error().message()).isEqualTo("boom");
        assertThat(run.tags()).containsExactly("t");
        assertThat(run.seq()).isEqualTo(42);
        RecordedRequest request = taken();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/api/taskdeck/v1/runs");
        assertThat(request.getUrl().queryParameterValues("status")).containsExactly("FAILED", "CRASHED");
        assertThat(request.getUrl().queryParameter("task")).isEqualTo("noop");
        assertThat(request.getUrl().queryParameter("queue")).isEqualTo("q/1");
        assertThat(request.getUrl().queryParameter("tag")).isEqualTo("t");
        assertThat(request.getUrl().queryParameter("from")).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(request.getUrl().queryParameter("to")).isEqualTo("2025-02-01T00:00:00Z");
        assertThat(request.getUrl().queryParameter("search")).isEqualTo("idem-1");
        assertThat(request.getUrl().queryParameter("cursor")).isEqualTo("c1");
        assertThat(request.getUrl().queryParameter("limit")).isEqualTo("20");
    }

    @Test
    void getRunReadsTheFullDetail() throws Exception {
        answer(200, """
                {"run":{"id":"run_1","taskId":"flaky","status":"COMPLETED","queue":"default","priority":0,
                   "payload":{"failTimes":1},"output":{"ok":true},"attemptCount":2,"maxAttempts":3,
                   "ttl":"PT10M","parentId":"run_0","rootId":"run_0","seq":9},
                 "attempts":[{"number":1,"status":"FAILED","nodeId":"n1","startedAt":"2025-01-01T00:00:00Z",
                   "finishedAt":"2025-01-01T00:00:01Z","error":{"message":"flake"},"retryAt":"2025-01-01T00:00:02Z"},
                   {"number":2,"status":"COMPLETED","nodeId":"n1"}],
                 "logs":[{"at":"2025-01-01T00:00:00.5Z","level":"WARN","attempt":1,"message":"hm","data":{"k":1}}],
                 "logsTruncated":false,
                 "events":[{"seq":9,"at":"2025-01-01T00:00:03Z","runId":"run_1","taskId":"flaky","queue":"default",
                   "type":"STATUS_CHANGED","status":"COMPLETED","attempt":2,"details":null}],
                 "related":{"parent":{"id":"run_0","taskId":"parent","status":"WAITING"},"root":null,"children":[]}}""");

        RunDetail detail = server.getRun("run_1");

        assertThat(detail.run().payload().get("failTimes").asInt()).isEqualTo(1);
        assertThat(detail.run().ttl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(detail.attempts()).extracting(Attempt::status)
                .containsExactly(RunStatus.FAILED, RunStatus.COMPLETED);
        assertThat(detail.attempts().getFirst().retryAt()).isEqualTo(Instant.parse("2025-01-01T00:00:02Z"));
        assertThat(detail.logs().getFirst().level()).isEqualTo(LogLevel.WARN);
        assertThat(detail.events().getFirst().type()).isEqualTo(RunEventType.STATUS_CHANGED);
        assertThat(detail.related().parent().status()).isEqualTo(RunStatus.WAITING);
        assertThat(taken().getTarget()).isEqualTo("/api/taskdeck/v1/runs/run_1");
    }

    @Test
    void runActionsPostToTheirPaths() throws Exception {
        String run = "{\"id\":\"run_1\",\"taskId\":\"t\",\"status\":\"QUEUED\"}";
        for (int i = 0; i < 5; i++) {
            answer(200, run);
        }
        server.cancel("run_1");
        server.replay("run_1", json.readTree("{\"edited\":true}"));
        server.requeue("run_1", new RequeueOptions(null, "other"));
        server.discard("run_1");
        server.reschedule("run_1", Instant.parse("2030-01-01T00:00:00Z"));

        assertThat(taken().getTarget()).isEqualTo("/api/taskdeck/v1/runs/run_1/cancel");
        RecordedRequest replay = taken();
        assertThat(replay.getTarget()).isEqualTo("/api/taskdeck/v1/runs/run_1/replay");
        assertThat(bodyOf(replay)).isEqualTo(json.readTree("{\"payload\":{\"edited\":true}}"));
        RecordedRequest requeue = taken();
        assertThat(requeue.getTarget()).isEqualTo("/api/taskdeck/v1/runs/run_1/requeue");
        assertThat(bodyOf(requeue)).isEqualTo(json.readTree("{\"payload\":null,\"queue\":\"other\"}"));
        assertThat(taken().getTarget()).isEqualTo("/api/taskdeck/v1/runs/run_1/discard");
        RecordedRequest reschedule = taken();
        assertThat(bodyOf(reschedule)).isEqualTo(json.readTree("{\"delayUntil\":\"2030-01-01T00:00:00Z\"}"));
    }

    @Test
    void queueCallsEncodeNamesAsOnePathSegment() throws Exception {
        String queue = """
                {"name":"task/report","concurrencyLimit":5,"baseConcurrencyLimit":10,
                 "override":{"limit":5,"by":"ops-key","at":"2025-01-01T00:00:00Z"},"running":2,"queued":100,
                 "delayed":3,"paused":false,"throughputPerSecond":1.5,"waitP95":"PT2.5S","oldestWaitingAge":"PT1M"}""";
        answer(200, queue);
        answer(200, queue);

        QueueInfo info = server.overrideConcurrency("task/report", 5);
        server.resetConcurrency("task/report");

        assertThat(info.override().by()).isEqualTo("ops-key");
        assertThat(info.waitP95()).isEqualTo(Duration.ofMillis(2500));
        RecordedRequest override = taken();
        assertThat(override.getTarget()).isEqualTo("/api/taskdeck/v1/queues/task%2Freport/concurrency/override");
        assertThat(bodyOf(override)).isEqualTo(json.readTree("{\"concurrencyLimit\":5}"));
        assertThat(taken().getTarget()).isEqualTo("/api/taskdeck/v1/queues/task%2Freport/concurrency/reset");
    }

    @Test
    void listingsUnwrapTheirDataArrays() throws Exception {
        answer(200, "{\"data\":[{\"name\":\"a\",\"paused\":true}]}");
        answer(200, "{\"data\":[{\"id\":\"noop\",\"queue\":\"noop\",\"concurrencyKeyLimit\":1,"
                + "\"retry\":{\"maxAttempts\":3,\"factor\":2,\"minTimeoutInMs\":1000,\"maxTimeoutInMs\":60000,"
                + "\"randomize\":false},\"counts\":{\"COMPLETED\":4}}]}");
        answer(200, "{\"data\":[{\"fingerprint\":\"fp1\",\"taskId\":\"always-fail\",\"count\":7,"
                + "\"sampleError\":{\"message\":\"nope\"},\"sampleRunId\":\"run_9\"}]}");
        answer(200, "{\"data\":[{\"id\":\"node-1\",\"startedAt\":\"2025-01-01T00:00:00Z\",\"running\":4}]}");
        answer(200, "{\"role\":\"operator\",\"keyName\":\"ops\"}");
        answer(200, "{\"lastSeq\":77,\"runsByStatus\":{\"QUEUED\":5},\"backlog\":5,\"deadLetters\":1}");

        assertThat(server.listQueues()).singleElement().satisfies(q -> assertThat(q.paused()).isTrue());
        assertThat(server.listTasks()).singleElement()
                .satisfies(t -> assertThat(t.counts()).containsEntry(RunStatus.COMPLETED, 4L));
        assertThat(server.deadLetterGroups()).singleElement().satisfies(g -> assertThat(g.count()).isEqualTo(7));
        assertThat(server.nodes()).singleElement().satisfies(n -> assertThat(n.running()).isEqualTo(4));
        assertThat(server.role()).isEqualTo(Role.OPERATOR);
        assertThat(server.stats().lastSeq()).isEqualTo(77);

        assertThat(List.of(taken(), taken(), taken(), taken(), taken(), taken()))
                .extracting(RecordedRequest::getTarget)
                .containsExactly("/api/taskdeck/v1/queues", "/api/taskdeck/v1/tasks", "/api/taskdeck/v1/dead-letters",
                        "/api/taskdeck/v1/nodes", "/api/taskdeck/v1/whoami", "/api/taskdeck/v1/stats");
    }

    @Test
    void bulkActionsStartByFilterAndReportProgress() throws Exception {
        answer(202, "{\"id\":\"bulk_1\",\"kind\":\"requeue\",\"state\":\"running\",\"total\":10,\"done\":0}");
        answer(200, "{\"id\":\"bulk_1\",\"kind\":\"requeue\",\"state\":\"aborted\",\"total\":10,\"done\":4,"
                + "\"succeeded\":3,\"failed\":1,\"errors\":[{\"runId\":\"run_3\",\"error\":\"conflict\","
                + "\"message\":\"not a dead letter\"}]}");

        BulkAction started = server.startBulkAction(
                BulkActionRequest.of(BulkActionKind.REQUEUE, RunFilter.builder().fingerprint("fp1").build())
                        .withRatePerSecond(5));
        BulkAction aborted = server.abortBulkAction("bulk_1");

        assertThat(started.state()).isEqualTo(BulkActionState.RUNNING);
        assertThat(aborted.state()).isEqualTo(BulkActionState.ABORTED);
        assertThat(aborted.errors()).singleElement().satisfies(e -> assertThat(e.runId()).isEqualTo("run_3"));
        JsonNode body = bodyOf(taken());
        assertThat(body.get("kind").asText()).isEqualTo("requeue");
        assertThat(body.get("filter").get("fingerprint").asText()).isEqualTo("fp1");
        assertThat(body.get("ratePerSecond").asDouble()).isEqualTo(5.0);
        assertThat(body.get("runIds").isNull()).isTrue();
        assertThat(taken().getTarget()).isEqualTo("/api/taskdeck/v1/bulk-actions/bulk_1/abort");
    }

    @Test
    void baseUrlPathIsKeptBehindAReverseProxy() throws Exception {
        try (HttpTaskServer proxied = client().baseUrl(web.url("/taskdeck/").toString()).build()) {
            answer(200, "{\"role\":\"viewer\"}");
            assertThat(proxied.role()).isEqualTo(Role.VIEWER);
            assertThat(taken().getTarget()).isEqualTo("/taskdeck/api/taskdeck/v1/whoami");
        }
    }

    // --- failures: each ends in a typed error, never a hang -----------------------------------------

    @Test
    void unauthorizedIsTyped() {
        answer(401, "{\"error\":\"unauthorized\",\"message\":\"unknown API key\",\"fieldErrors\":[]}");
        UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class, () -> server.stats());
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).contains("GET /api/taskdeck/v1/stats", "401", "unknown API key");
    }

    @Test
    void forbiddenIsTyped() {
        answer(403, "{\"error\":\"forbidden\",\"message\":\"role viewer may not cancel runs\",\"fieldErrors\":[]}");
        ForbiddenException e = catchThrowableOfType(ForbiddenException.class, () -> server.cancel("run_1"));
        assertThat(e.errorCode()).isEqualTo("forbidden");
        assertThat(e.getMessage()).contains("role viewer may not cancel runs");
    }

    @Test
    void notFoundIsTypedAndNotRetried() {
        answer(404, "{\"error\":\"not_found\",\"message\":\"no run run_x\",\"fieldErrors\":[]}");
        assertThatThrownBy(() -> server.getRun("run_x")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no run run_x");
        assertThat(web.getRequestCount()).isEqualTo(1);
    }

    @Test
    void validationErrorsCarryTheServersFieldErrors() {
        answer(422, """
                {"error":"validation_failed","message":"payload does not match the task's schema",
                 "fieldErrors":[{"field":"payload.ms","expected":"integer >= 0","got":"\\"soon\\""}]}""");
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> server.trigger("sleep", null, null));
        assertThat(e.fieldErrors()).containsExactly(new FieldError("payload.ms", "integer >= 0", "\"soon\""));
        assertThat(e.getMessage()).contains("payload.ms: expected integer >= 0, got \"soon\"");
    }

    @Test
    void badRequestAndTooLargeAreValidationErrors() {
        answer(400, "{\"error\":\"bad_request\",\"message\":\"body is not JSON\",\"fieldErrors\":[]}");
        answer(413, "");
        assertThatThrownBy(() -> server.trigger("noop", null, null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> server.trigger("noop", null, null)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("413");
    }

    @Test
    void conflictIsTyped() {
        answer(409, "{\"error\":\"conflict\",\"message\":\"run run_1 is COMPLETED\",\"fieldErrors\":[]}");
        assertThatThrownBy(() -> server.cancel("run_1")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("COMPLETED");
    }

    @Test
    void internalErrorIsUnavailableAndNotRetriedBecauseItIsABug() {
        web.enqueue(new MockResponse(500, Headers.of(), "<html>stack trace</html>"));
        UnavailableException e = catchThrowableOfType(UnavailableException.class, () -> server.listQueues());
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.getMessage()).contains("<html>stack trace</html>");
        assertThat(web.getRequestCount()).isEqualTo(1);
    }

    @Test
    void serviceUnavailableIsRetriedForReads() throws Exception {
        answer(503, "{\"error\":\"unavailable\",\"message\":\"starting\",\"fieldErrors\":[]}");
        web.enqueue(new MockResponse.Builder().code(502).build());
        answer(200, "{\"role\":\"admin\"}");

        assertThat(server.role()).isEqualTo(Role.ADMIN);
        assertThat(web.getRequestCount()).isEqualTo(3);
    }

    @Test
    void readsGiveUpAfterTheirRetries() {
        try (HttpTaskServer twoRetries = client().maxReadRetries(2).build()) {
            for (int i = 0; i < 4; i++) {
                answer(503, "{\"error\":\"unavailable\",\"message\":\"overloaded\",\"fieldErrors\":[]}");
            }
            assertThatThrownBy(twoRetries::listTasks).isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("overloaded");
            assertThat(web.getRequestCount()).isEqualTo(3);
        }
    }

    @Test
    void writesAreNeverRetried() {
        answer(503, "{\"error\":\"unavailable\",\"message\":\"overloaded\",\"fieldErrors\":[]}");
        answer(201, "{\"id\":\"run_dup\",\"cached\":false}");
        assertThatThrownBy(() -> server.trigger("noop", null, null)).isInstanceOf(UnavailableException.class);
        assertThat(web.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aWriteWhoseConnectionDropsIsUnavailableAndSentOnce() {
        web.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        answer(201, "{\"id\":\"run_dup\",\"cached\":false}");
        assertTimeoutPreemptively(NO_HANG, () -> {
            assertThatThrownBy(() -> server.trigger("noop", null, null)).isInstanceOf(UnavailableException.class);
        });
        assertThat(web.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aServerThatAcceptsButNeverAnswersTimesOut() {
        try (HttpTaskServer noRetry = client().maxReadRetries(0).build()) {
            web.enqueue(new MockResponse.Builder().onRequestStart(SocketEffect.Stall.INSTANCE).build());
            assertTimeoutPreemptively(NO_HANG, () -> {
                UnavailableException e = catchThrowableOfType(UnavailableException.class, noRetry::stats);
                assertThat(e.getMessage()).contains("timed out");
            });
        }
    }

    @Test
    void aReadThatTimesOutIsRetried() {
        web.enqueue(new MockResponse.Builder().onRequestStart(SocketEffect.Stall.INSTANCE).build());
        answer(200, "{\"role\":\"viewer\"}");
        assertTimeoutPreemptively(NO_HANG, () -> assertThat(server.role()).isEqualTo(Role.VIEWER));
        assertThat(web.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aBodyThatTricklesSlowerThanTheCallTimeoutFails() {
        try (HttpTaskServer impatient = client().maxReadRetries(0).readTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofMillis(300)).build()) {
            web.enqueue(new MockResponse.Builder().code(200).body("{\"role\":\"viewer\"}")
                    .throttleBody(1, 1, TimeUnit.SECONDS).build());
            assertTimeoutPreemptively(NO_HANG, () -> {
                assertThatThrownBy(impatient::role).isInstanceOf(UnavailableException.class)
                        .hasMessageContaining("timed out");
            });
        }
    }

    @Test
    void aRefusedConnectionIsUnavailable() throws IOException {
        String url = web.url("/").toString();
        web.close();
        try (HttpTaskServer offline = HttpTaskServer.builder().baseUrl(url).apiKey("k").maxReadRetries(1)
                .connectTimeout(Duration.ofSeconds(1)).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1))
                .build()) {
            assertTimeoutPreemptively(NO_HANG, () -> {
                assertThatThrownBy(offline::stats).isInstanceOf(UnavailableException.class)
                        .hasMessageContaining("cannot connect");
            });
        }
    }

    @Test
    void aMalformedAnswerIsAProtocolError() {
        answer(200, "{\"data\": 42}");
        TaskServerException e = catchThrowableOfType(TaskServerException.class, () -> server.listQueues());
        assertThat(e).isExactlyInstanceOf(TaskServerException.class);
        assertThat(e.getMessage()).contains("cannot read the server's answer");
    }

    @Test
    void badArgumentsFailBeforeAnyRequest() {
        assertThatThrownBy(() -> server.getRun(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runId");
        assertThatThrownBy(() -> server.overrideConcurrency("q", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> server.batchTrigger(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(web.getRequestCount()).isZero();
    }

    @Test
    void builderNamesWhatIsMissing() {
        assertThatThrownBy(() -> HttpTaskServer.builder().apiKey("k").build()).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> HttpTaskServer.builder().baseUrl("http://x").build()).hasMessageContaining("apiKey");
        assertThatThrownBy(() -> HttpTaskServer.builder().baseUrl("ftp://x")).hasMessageContaining("ftp://x");
        assertThatThrownBy(() -> HttpTaskServer.builder().readTimeout(Duration.ZERO))
                .hasMessageContaining("readTimeout");
    }

    @Test
    void aClosedServerRefusesCalls() {
        server.close();
        assertThatThrownBy(() -> server.stats()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
