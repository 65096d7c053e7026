package io.taskdeck.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskdeck.client.Role;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.TriggerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several hundred malformed or hostile requests, generated from a table of endpoints and a table of
 * mutations: none may get a 5xx, every error must be a JSON ErrorBody, and the runs stored before
 * must be unchanged afterwards.
 */
class HostileRequestsTest {
    private static final String ADMIN = "hostile-admin-secret-0123456789";
    private static final String VIEWER = "hostile-viewer-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Engine engine;
    private TaskdeckServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        engine = ContractTasks.newEngine();
        server = TaskdeckServer.builder().engine(engine).host("127.0.0.1").port(0)
                .key(new ApiKey("admin", ADMIN, Role.ADMIN)).key(new ApiKey("viewer", VIEWER, Role.VIEWER)).start();
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(5));
        engine.stop(Duration.ofSeconds(5));
    }

    private record Req(String method, String path, String body, String key) {
    }

    /** Valid request templates; mutations break them one way at a time. */
    private static List<Req> templates(String runId) {
        String t = "/api/taskdeck/v1";
        return List.of(
                new Req("POST", t + "/tasks/noop/trigger", "{\"payload\":{},\"options\":{\"tags\":[\"a\"],\"priority\":1,"
                        + "\"maxAttempts\":2,\"delay\":\"PT1H\",\"ttl\":\"PT10M\",\"idempotencyKey\":\"k\","
                        + "\"concurrencyKey\":\"c\",\"queue\":\"q\",\"metadata\":{\"a\":1},\"idempotencyKeyTTL\":\"PT1H\"}}", ADMIN),
                new Req("POST", t + "/tasks/sleep/trigger", "{\"payload\":{\"ms\":1}}", ADMIN),
                new Req("POST", t + "/tasks/batch", "{\"items\":[{\"taskId\":\"noop\",\"payload\":{},\"options\":{\"tags\":[\"b\"]}}]}", ADMIN),
                new Req("POST", t + "/runs/" + runId + "/replay", "{\"payload\":{\"ms\":1}}", ADMIN),
                new Req("POST", t + "/runs/" + runId + "/requeue", "{\"payload\":null,\"queue\":\"x\"}", ADMIN),
                new Req("POST", t + "/runs/" + runId + "/reschedule", "{\"delayUntil\":\"2030-01-01T00:00:00Z\"}", ADMIN),
                new Req("POST", t + "/idempotency-keys/reset", "{\"taskId\":\"noop\",\"idempotencyKey\":\"k\"}", ADMIN),
                new Req("POST", t + "/bulk-actions", "{\"kind\":\"discard\",\"runIds\":[\"" + runId + "\"],\"ratePerSecond\":5}", ADMIN),
                new Req("POST", t + "/queues/noop/concurrency/override", "{\"concurrencyLimit\":3}", ADMIN),
                new Req("POST", "/api/v1/tasks/noop/trigger", "{\"payload\":\"{\\\"json\\\":{}}\",\"options\":{\"payloadType\":"
                        + "\"application/super+json\",\"tags\":[\"a\"],\"delay\":\"1h\",\"ttl\":\"10m\",\"priority\":1,"
                        + "\"queue\":{\"name\":\"q\"}}}", ADMIN),
                new Req("POST", "/api/v1/queues/noop/concurrency/override", "{\"concurrencyLimit\":3,\"type\":\"custom\"}", ADMIN),
                new Req("POST", "/api/v1/queues/noop/pause", "{\"action\":\"pause\",\"type\":\"custom\"}", ADMIN),
                new Req("POST", "/api/v1/runs/" + runId + "/reschedule", "{\"delay\":\"1h\"}", ADMIN),
                new Req("POST", "/api/v3/batches", "{\"runCount\":1}", ADMIN));
    }

    private static final List<JsonNode> WRONG_VALUES = wrongValues();

    private static List<JsonNode> wrongValues() {
        try {
            return List.of(JSON.readTree("123"), JSON.readTree("-1"), JSON.readTree("\"\""), JSON.readTree("\"x\""),
                    JSON.readTree("[]"), JSON.readTree("{}"), JSON.readTree("true"), JSON.readTree("1e400"),
                    JSON.readTree("\"" + "y".repeat(300) + "\""), JSON.readTree("[1,2,3]"), JSON.readTree("99999999999"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Req> mutations(Req valid) throws Exception {
        List<Req> out = new ArrayList<>();
        // bodies that are not the expected JSON
        for (String body : List.of("not json", "{", "[]", "\"str\"", "123", "null", "{\"a\":", "[".repeat(5000),
                "{\"payload\":" + "[".repeat(300) + "]".repeat(300) + "}", "\uFEFF{}garbage")) {
            out.add(new Req(valid.method(), valid.path(), body, valid.key()));
        }
        // oversized body and oversized field
        out.add(new Req(valid.method(), valid.path(), "{\"payload\":\"" + "z".repeat(1_100_000) + "\"}", valid.key()));
        // every field, at every level, replaced by each wrong value
        JsonNode root = JSON.readTree(valid.body());
        for (String pointer : pointers(root, "")) {
            for (JsonNode wrong : WRONG_VALUES) {
                JsonNode copy = root.deepCopy();
                set(copy, pointer, wrong);
                out.add(new Req(valid.method(), valid.path(), copy.toString(), valid.key()));
            }
        }
        // auth
        out.add(new Req(valid.method(), valid.path(), valid.body(), null));
        out.add(new Req(valid.method(), valid.path(), valid.body(), "wrong-key-0123456789"));
        out.add(new Req(valid.method(), valid.path(), valid.body(), VIEWER));
        return out;
    }

    private static List<String> pointers(JsonNode node, String at) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = at + "/" + e.getKey();
                out.add(p);
                out.addAll(pointers(e.getValue(), p));
            }
        } else if (node.isArray() && !node.isEmpty()) {
            out.add(at + "/0");
            out.addAll(pointers(node.get(0), at + "/0"));
        }
        return out;
    }

    private static void set(JsonNode root, String pointer, JsonNode value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        if (parent.isObject()) {
            ((ObjectNode) parent).set(last, value);
        } else if (parent.isArray()) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(last), value);
        }
    }

    private static List<Req> getsAndTricks() {
        String t = "/api/taskdeck/v1";
        List<Req> out = new ArrayList<>();
        for (String q : List.of("limit=-1", "limit=0", "limit=abc", "limit=501", "limit=99999999999", "status=BOGUS",
                "status=", "from=garbage", "to=2020-13-45", "from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z",
                "cursor=garbage", "cursor=%00%01", "cursor=" + "A".repeat(5000), "search=%00", "fingerprint=" + "f".repeat(3000))) {
            out.add(new Req("GET", t + "/runs?" + q, null, ADMIN));
        }
        for (String q : List.of("page[size]=0", "page[size]=x", "page[before]=a", "filter[status]=NOPE",
                "filter[createdAt][from]=xyz", "filter[createdAt][period]=forever", "page[after]=garbage",
                "filter[taskIdentifier]=a,b")) {
            out.add(new Req("GET", "/api/v1/runs?" + q.replace("[", "%5B").replace("]", "%5D"), null, ADMIN));
        }
        for (String id : List.of("run_nope", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%00", "run_" + "x".repeat(5000),
                "%F0%9F%92%A5", "%25", "..", "run_1;DROP%20TABLE", "%C0%AF")) {
            out.add(new Req("GET", t + "/runs/" + id, null, ADMIN));
            out.add(new Req("POST", t + "/runs/" + id + "/cancel", "{}", ADMIN));
            out.add(new Req("POST", t + "/runs/" + id + "/discard", "{}", ADMIN));
            out.add(new Req("GET", t + "/queues/" + id, null, ADMIN));
            out.add(new Req("POST", t + "/queues/" + id + "/pause", "{}", ADMIN));
            out.add(new Req("GET", t + "/tasks/" + id, null, ADMIN));
            out.add(new Req("POST", t + "/tasks/" + id + "/trigger", "{}", ADMIN));
            out.add(new Req("GET", t + "/bulk-actions/" + id, null, ADMIN));
            out.add(new Req("GET", "/api/v3/runs/" + id, null, ADMIN));
            out.add(new Req("POST", "/api/v2/runs/" + id + "/cancel", "{}", ADMIN));
            out.add(new Req("GET", "/api/v1/queues/" + id + "?type=task", null, ADMIN));
        }
        for (String path : List.of(t + "/nope", "/api/v9/runs", "/", "/metrics", t + "/stats", t + "/events")) {
            out.add(new Req("GET", path, null, null));
            out.add(new Req("GET", path, null, "Basic abc"));
        }
        out.add(new Req("DELETE", t + "/runs", null, ADMIN));
        out.add(new Req("PUT", t + "/tasks/noop/trigger", "{}", ADMIN));
        out.add(new Req("GET", "/api/v1/queues?type=weird", null, ADMIN));
        out.add(new Req("GET", "/api/v1/queues?page=-3", null, ADMIN));
        out.add(new Req("POST", "/api/v3/batches/batch_nope/items", "{\"index\":0}", ADMIN));
        return out;
    }

    private HttpResponse<String> send(Req r) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + r.path())).timeout(Duration.ofSeconds(20));
        if (r.key() != null) {
            b.header("Authorization", r.key().startsWith("Basic") ? r.key() : "Bearer " + r.key());
        }
        b.method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(r.body()));
        if (r.body() != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void hostileRequestsGetJsonFourHundredsAndChangeNothing() throws Exception {
        // runs that must come out unchanged: delayed ones do not move by themselves
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stored.add(engine.trigger("noop", Map.of("i", i), TriggerOptions.builder().delay(Duration.ofHours(5))
                    .tags("keep").build()).runId());
        }
        List<Run> before = stored.stream().map(id -> engine.run(id).orElseThrow()).toList();
        String target = stored.getFirst();

        List<Req> all = new ArrayList<>();
        for (Req template : templates("run_does_not_exist")) {
            all.addAll(mutations(template));
        }
        all.addAll(getsAndTricks());
        assertThat(all.size()).as("generated requests").isGreaterThan(300);

        List<String> problems = new ArrayList<>();
        int errors = 0;
        for (Req r : all) {
            HttpResponse<String> res = send(r);
            String where = r.method() + " " + abbreviate(r.path()) + " body=" + abbreviate(r.body()) + " -> " + res.statusCode();
            if (res.statusCode() >= 500) {
                problems.add(where + " " + abbreviate(res.body()));
                continue;
            }
            if (res.statusCode() >= 400) {
                errors++;
                try {
                    JsonNode body = JSON.readTree(res.body());
                    if (!body.path("error").isTextual() || !body.path("message").isTextual() || !body.path("fieldErrors").isArray()) {
                        problems.add(where + " not an ErrorBody: " + abbreviate(res.body()));
                    }
                } catch (Exception e) {
                    problems.add(where + " not JSON: " + abbreviate(res.body()));
                }
            }
        }
        assertThat(problems).as("requests answered wrongly").isEmpty();
        assertThat(errors).as("rejected requests").isGreaterThan(300);

        List<Run> after = stored.stream().map(id -> engine.run(id).orElseThrow()).toList();
        assertThat(after).isEqualTo(before);
        assertThat(engine.run(target).orElseThrow().tags()).containsExactly("keep");
        assertThat(engine.runs(RunQuery.builder().tag("keep").limit(100).build()).runs()).hasSize(5);
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
