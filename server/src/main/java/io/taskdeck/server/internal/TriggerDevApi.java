package io.taskdeck.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.taskdeck.client.FieldError;
import io.taskdeck.client.Page;
import io.taskdeck.client.PageRequest;
import io.taskdeck.client.QueueInfo;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunDetail;
import io.taskdeck.client.RunFilter;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.client.TriggerRequest;
import io.taskdeck.client.TriggerResult;
import io.taskdeck.server.EngineTaskServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The endpoints the official {@code @trigger.dev/sdk} 4.x calls, with its paths and JSON shapes, so that
 * the SDK works unchanged against a Taskdeck server. Payloads arrive as SuperJSON strings; responses
 * carry every field the SDK's zod schemas require and leave optional ones out rather than null.
 */
public final class TriggerDevApi {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d|w)");
    private static final int MAX_PENDING_BATCHES = 1_000;

    private final Requests requests;
    private final Function<Context, EngineTaskServer> caller;
    private final ObjectMapper json;
    /** Two-phase batches (create, then stream items): held until every item arrived, then triggered at once. */
    private final Map<String, PendingBatch> batches = new ConcurrentHashMap<>();

    private record PendingBatch(int runCount, Instant createdAt) {
    }

    public TriggerDevApi(Requests requests, Function<Context, EngineTaskServer> caller) {
        this.requests = requests;
        this.caller = caller;
        this.json = requests.json();
    }

    public void register(Javalin app) {
        app.post("/api/v1/tasks/{taskId}/trigger", this::trigger);
        app.post("/api/v1/tasks/batch", this::batchV1);
        app.post("/api/v2/tasks/batch", this::batchV2);
        app.post("/api/v3/batches", this::createBatch);
        app.post("/api/v3/batches/{batchId}/items", this::batchItems);
        app.get("/api/v3/runs/{runId}", ctx -> send(ctx, 200, retrieved(server(ctx).getRun(ctx.pathParam("runId")))));
        app.get("/api/v1/runs", this::listRuns);
        app.post("/api/v2/runs/{runId}/cancel", this::cancel);
        app.post("/api/v1/runs/{runId}/replay", this::replay);
        app.post("/api/v1/runs/{runId}/reschedule", this::reschedule);
        app.post("/api/v1/idempotencyKeys/{key}/reset", this::resetKey);
        app.get("/api/v1/queues", this::listQueues);
        app.get("/api/v1/queues/{queue}", ctx -> send(ctx, 200, queue(server(ctx).getQueue(queueName(ctx, null)))));
        app.post("/api/v1/queues/{queue}/pause", this::pause);
        app.post("/api/v1/queues/{queue}/concurrency/override", this::override);
        app.post("/api/v1/queues/{queue}/concurrency/reset", ctx -> {
            JsonNode body = requests.object(ctx);
            send(ctx, 200, queue(server(ctx).resetConcurrency(queueName(ctx, body))));
        });
    }

    private EngineTaskServer server(Context ctx) {
        return caller.apply(ctx);
    }

    private void send(Context ctx, int status, Object body) throws Exception {
        ctx.status(status).contentType("application/json; charset=utf-8").result(json.writeValueAsBytes(body));
    }

    // --- triggering ---------------------------------------------------------------------------------------

    private void trigger(Context ctx) throws Exception {
        JsonNode body = requests.object(ctx);
        Fields f = new Fields();
        JsonNode options = f.object(body, "options", "options");
        JsonNode payload = payload(body.get("payload"), options, "payload", f);
        TriggerOptions o = options(options, "options.", f);
        f.check("invalid trigger request");
        TriggerResult r = server(ctx).trigger(ctx.pathParam("taskId"), payload, o);
        send(ctx, 200, json.createObjectNode().put("id", r.id()).put("isCached", r.cached()));
    }

    /** Old batch shape: {items: [{payload, options}]} for one task per item via "task". */
    private void batchV1(Context ctx) throws Exception {
        List<TriggerResult> results = server(ctx).batchTrigger(batchItems(requests.object(ctx), "task"));
        ArrayNode runs = json.createArrayNode();
        results.forEach(r -> runs.add(r.id()));
        ObjectNode out = json.createObjectNode().put("batchId", batchId());
        out.set("runs", runs);
        send(ctx, 200, out);
    }

    private void batchV2(Context ctx) throws Exception {
        List<TriggerResult> results = server(ctx).batchTrigger(batchItems(requests.object(ctx), "task"));
        send(ctx, 200, json.createObjectNode().put("id", batchId()).put("runCount", results.size()));
    }

    private List<TriggerRequest> batchItems(JsonNode body, String taskField) {
        JsonNode items = body.get("items");
        if (items == null || !items.isArray()) {
            throw ApiError.badRequest("the body needs \"items\": an array", new FieldError("items", "an array", Fields.show(items)));
        }
        if (items.size() > EngineTaskServer.MAX_BATCH) {
            throw ApiError.tooLarge("a batch holds at most " + EngineTaskServer.MAX_BATCH + " items, got " + items.size());
        }
        Fields f = new Fields();
        List<TriggerRequest> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String path = "items[" + i + "]";
            if (!item.isObject()) {
                f.wrongType(path, "a JSON object", item);
                continue;
            }
            String task = f.requiredText(item, taskField, path + "." + taskField);
            JsonNode options = f.object(item, "options", path + ".options");
            JsonNode payload = payload(item.get("payload"), options, path + ".payload", f);
            TriggerOptions o = options(options, path + ".options.", f);
            if (task != null && o != null) {
                out.add(new TriggerRequest(task, payload, o));
            }
        }
        f.check("invalid batch items; nothing was triggered");
        return out;
    }

    private void createBatch(Context ctx) throws Exception {
        JsonNode body = requests.object(ctx);
        Fields f = new Fields();
        Integer runCount = f.integer(body, "runCount", "runCount");
        if (f.ok() && (runCount == null || runCount < 1 || runCount > EngineTaskServer.MAX_BATCH)) {
            f.invalid("runCount", "an integer from 1 to " + EngineTaskServer.MAX_BATCH, runCount == null ? null : runCount.toString());
        }
        f.check("invalid batch");
        if (batches.size() >= MAX_PENDING_BATCHES) {
            Instant cutoff = Instant.now().minus(Duration.ofHours(1));
            batches.entrySet().removeIf(e -> e.getValue().createdAt().isBefore(cutoff));
            if (batches.size() >= MAX_PENDING_BATCHES) {
                throw new ApiError(429, "rate_limited", "too many batches waiting for their items", List.of());
            }
        }
        String id = batchId();
        batches.put(id, new PendingBatch(runCount, Instant.now()));
        send(ctx, 200, json.createObjectNode().put("id", id).put("runCount", runCount).put("isCached", false));
    }

    /** Phase 2: NDJSON lines {index, task, payload, options}; all of them arrive in one request. */
    private void batchItems(Context ctx) throws Exception {
        String id = ctx.pathParam("batchId");
        PendingBatch batch = batches.get(id);
        if (batch == null) {
            throw ApiError.notFound("no open batch with id " + id);
        }
        String text = new String(requests.bytes(ctx), StandardCharsets.UTF_8);
        ArrayNode items = json.createArrayNode();
        String[] lines = text.split("\n");
        JsonNode[] byIndex = new JsonNode[batch.runCount()];
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode item;
            try {
                item = json.readTree(line);
            } catch (Exception e) {
                throw ApiError.badRequest("line " + (i + 1) + " is not JSON", new FieldError("line " + (i + 1), "a JSON object", Texts.abbreviate(line)));
            }
            JsonNode index = item.get("index");
            if (index == null || !index.canConvertToInt() || index.intValue() < 0 || index.intValue() >= byIndex.length) {
                throw ApiError.invalid("item on line " + (i + 1) + " has no valid index",
                        List.of(new FieldError("index", "0 to " + (byIndex.length - 1), Fields.show(index))));
            }
            byIndex[index.intValue()] = item;
        }
        int received = 0;
        for (JsonNode item : byIndex) {
            if (item != null) {
                items.add(item);
                received++;
            }
        }
        if (received < batch.runCount()) {
            send(ctx, 200, json.createObjectNode().put("id", id).put("itemsAccepted", 0).put("itemsDeduplicated", 0)
                    .put("sealed", false).put("enqueuedCount", 0).put("expectedCount", batch.runCount()));
            return;
        }
        ObjectNode wrapper = json.createObjectNode();
        wrapper.set("items", items);
        List<TriggerResult> results = server(ctx).batchTrigger(batchItems(wrapper, "task"));
        batches.remove(id);
        long cached = results.stream().filter(TriggerResult::cached).count();
        send(ctx, 200, json.createObjectNode().put("id", id).put("itemsAccepted", results.size() - cached)
                .put("itemsDeduplicated", cached).put("sealed", true));
    }

    private static String batchId() {
        return "batch_" + UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * The SDK sends the payload as a string with {@code payloadType}: SuperJSON ({@code {"json": ..., "meta": ...}})
     * or JSON text; a raw JSON value is taken as is.
     */
    private JsonNode payload(JsonNode payload, JsonNode options, String path, Fields f) {
        if (payload == null || payload.isNull()) {
            return null;
        }
        String type = options == null || !options.path("payloadType").isTextual() ? null : options.path("payloadType").textValue();
        if (!payload.isTextual() || type == null) {
            return payload;
        }
        return decodePacket(payload.textValue(), type, path, f);
    }

    private JsonNode decodePacket(String text, String type, String path, Fields f) {
        switch (type) {
            case "application/super+json", "application/json" -> {
                if (text.isEmpty()) {
                    return null;
                }
                JsonNode node;
                try {
                    node = json.readTree(text);
                } catch (Exception e) {
                    f.wrongType(path, "a " + type + " string", json.getNodeFactory().textNode(text));
                    return null;
                }
                if (type.equals("application/super+json")) {
                    if (node == null || !node.isObject()) {
                        f.wrongType(path, "a SuperJSON object {\"json\": ...}", node);
                        return null;
                    }
                    JsonNode value = node.get("json");
                    return value == null || value.isNull() ? null : value;
                }
                return node;
            }
            case "text/plain" -> {
                return json.getNodeFactory().textNode(text);
            }
            default -> {
                f.invalid(path, "a payloadType of application/super+json, application/json or text/plain", type);
                return null;
            }
        }
    }

    private TriggerOptions options(JsonNode o, String path, Fields f) {
        if (o == null) {
            return TriggerOptions.NONE;
        }
        TriggerOptions.Builder b = TriggerOptions.builder();
        String key = f.text(o, "idempotencyKey", path + "idempotencyKey");
        Duration keyTtl = null;
        if (o.hasNonNull("idempotencyKeyTTL")) {
            keyTtl = duration(o.get("idempotencyKeyTTL"), path + "idempotencyKeyTTL", f);
        }
        if (key != null) {
            b.idempotencyKey(key, keyTtl);
        }
        String concurrencyKey = f.text(o, "concurrencyKey", path + "concurrencyKey");
        if (concurrencyKey != null) {
            b.concurrencyKey(concurrencyKey);
        }
        if (o.hasNonNull("delay")) {
            JsonNode d = o.get("delay");
            Instant at = d.isTextual() ? instant(d.textValue()) : null;
            Duration delay = at != null ? Duration.between(Instant.now(), at) : duration(d, path + "delay", f);
            if (delay != null) {
                b.delay(delay.isNegative() ? Duration.ZERO : delay);
            }
        }
        if (o.hasNonNull("ttl")) {
            JsonNode t = o.get("ttl");
            Duration ttl = t.isIntegralNumber() ? Duration.ofSeconds(t.longValue()) : duration(t, path + "ttl", f);
            if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
                f.invalid(path + "ttl", "a duration > 0", t.toString());
            } else if (ttl != null) {
                b.ttl(ttl);
            }
        }
        JsonNode tags = o.get("tags");
        if (tags != null && !tags.isNull()) {
            List<String> list = tags.isTextual() ? List.of(tags.textValue()) : f.strings(o, "tags", path + "tags");
            if (list != null && Requests.checkTags(list, path + "tags", f)) {
                b.tags(list.toArray(String[]::new));
            }
        }
        JsonNode metadata = o.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            String metadataType = o.path("metadataType").isTextual() ? o.path("metadataType").textValue() : null;
            JsonNode decoded = metadata.isTextual() && metadataType != null
                    ? decodePacket(metadata.textValue(), metadataType, path + "metadata", f) : metadata;
            if (decoded != null && !decoded.isObject()) {
                f.invalid(path + "metadata", "a JSON object", Fields.show(decoded));
            } else if (decoded != null) {
                b.metadata(decoded);
            }
        }
        JsonNode priority = o.get("priority");
        if (priority != null && !priority.isNull()) {
            if (!priority.isNumber()) {
                f.wrongType(path + "priority", "a number of seconds", priority);
            } else if (priority.doubleValue() < 0 || priority.doubleValue() > Integer.MAX_VALUE) {
                f.invalid(path + "priority", "a number of seconds >= 0", priority.toString());
            } else {
                b.priority((int) Math.round(priority.doubleValue()));
            }
        }
        Integer maxAttempts = f.integer(o, "maxAttempts", path + "maxAttempts");
        if (maxAttempts != null && maxAttempts < 1) {
            f.invalid(path + "maxAttempts", "an integer >= 1", maxAttempts.toString());
        } else if (maxAttempts != null) {
            b.maxAttempts(maxAttempts);
        }
        JsonNode queue = o.get("queue");
        if (queue != null && !queue.isNull()) {
            String name = queue.isTextual() ? queue.textValue() : queue.isObject() ? f.text(queue, "name", path + "queue.name") : null;
            if (!queue.isTextual() && !queue.isObject()) {
                f.wrongType(path + "queue", "{\"name\": \"...\"}", queue);
            } else if (name != null && name.isBlank()) {
                f.invalid(path + "queue.name", "a non-blank queue name", "\"" + name + "\"");
            } else if (name != null) {
                b.queue(name);
            }
        }
        if (!f.ok()) {
            return null;
        }
        return b.build();
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (Exception e) {
            return null;
        }
    }

    /** Trigger.dev durations: "30s", "10m", "1h30m", "2d", "1w" (or a number of seconds). */
    private static Duration duration(JsonNode v, String path, Fields f) {
        if (v.isNumber()) {
            return Duration.ofMillis(Math.round(v.doubleValue() * 1000));
        }
        if (!v.isTextual()) {
            f.wrongType(path, "a duration such as \"30s\", \"10m\", \"1h\" or \"2d\"", v);
            return null;
        }
        String s = v.textValue().trim();
        Matcher m = DURATION.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            long unitMs = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                case "d" -> 86_400_000;
                default -> 604_800_000;
            };
            double ms = n * unitMs;
            if (ms > 1e14) {
                f.invalid(path, "a duration of at most about 3000 years", s);
                return null;
            }
            total = total.plusMillis(Math.round(ms));
            end = m.end();
        }
        if (end == 0 || end != s.length()) {
            f.wrongType(path, "a duration such as \"30s\", \"10m\", \"1h\" or \"2d\"", v);
            return null;
        }
        return total;
    }

    // --- runs ---------------------------------------------------------------------------------------------

    private void listRuns(Context ctx) throws Exception {
        Fields f = new Fields();
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        for (String value : ctx.queryParams("filter[status]")) {
            for (String s : value.split(",")) {
                if (s.isBlank()) {
                    continue;
                }
                if (s.trim().equals("PENDING_VERSION") || s.trim().equals("DEQUEUED")) {
                    continue;  // statuses Taskdeck never has: they match nothing
                }
                try {
                    statuses.add(RunStatus.valueOf(s.trim()));
                } catch (IllegalArgumentException e) {
                    f.wrongType("filter[status]", "run statuses such as FAILED", json.getNodeFactory().textNode(s));
                }
            }
        }
        String task = single(ctx, "filter[taskIdentifier]", f);
        String tag = single(ctx, "filter[tag]", f);
        String queue = single(ctx, "filter[queue]", f);
        Instant from = millis(ctx, "filter[createdAt][from]", f);
        Instant to = millis(ctx, "filter[createdAt][to]", f);
        String period = ctx.queryParam("filter[createdAt][period]");
        if (period != null && !period.isBlank()) {
            Duration d = duration(json.getNodeFactory().textNode(period), "filter[createdAt][period]", f);
            if (d != null) {
                from = Instant.now().minus(d);
            }
        }
        if (from != null && to != null && !from.isBefore(to)) {
            f.wrongType("filter[createdAt][from]", "a time before filter[createdAt][to]", json.getNodeFactory().textNode(from.toString()));
        }
        int size = 25;
        String sizeText = ctx.queryParam("page[size]");
        if (sizeText != null) {
            try {
                size = Integer.parseInt(sizeText);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > PageRequest.MAX_SIZE) {
                f.wrongType("page[size]", "an integer from 1 to " + PageRequest.MAX_SIZE, json.getNodeFactory().textNode(sizeText));
            }
        }
        if (ctx.queryParam("page[before]") != null) {
            f.invalid("page[before]", "not supported: page forward with page[after]", ctx.queryParam("page[before]"));
        }
        f.check("invalid query parameters");
        String after = ctx.queryParam("page[after]");
        if (statuses.isEmpty() && !ctx.queryParams("filter[status]").isEmpty()) {
            send(ctx, 200, json.createObjectNode().<ObjectNode>set("data", json.createArrayNode())
                    .set("pagination", json.createObjectNode()));
            return;
        }
        RunFilter filter = RunFilter.builder().statuses(statuses).taskId(task).tag(tag).queue(queue).createdBetween(from, to).build();
        Page<Run> page = server(ctx).listRuns(filter, new PageRequest(after == null || after.isEmpty() ? null : after, size));
        ArrayNode data = json.createArrayNode();
        for (Run r : page.data()) {
            ObjectNode item = common(r);
            item.set("env", json.createObjectNode().put("id", "env_taskdeck").put("name", "taskdeck"));
            data.add(item);
        }
        ObjectNode pagination = json.createObjectNode();
        if (page.nextCursor() != null) {
            pagination.put("next", page.nextCursor());
        }
        ObjectNode out = json.createObjectNode();
        out.set("data", data);
        out.set("pagination", pagination);
        send(ctx, 200, out);
    }

    private String single(Context ctx, String name, Fields f) {
        List<String> values = ctx.queryParams(name);
        if (values.isEmpty() || values.getFirst().isBlank()) {
            return null;
        }
        if (values.size() > 1 || values.getFirst().contains(",")) {
            f.invalid(name, "a single value (Taskdeck filters by one " + name + ")", String.join(",", values));
            return null;
        }
        return values.getFirst();
    }

    private Instant millis(Context ctx, String name, Fields f) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            Instant at = instant(text.trim());
            if (at == null) {
                f.wrongType(name, "milliseconds since the epoch or an ISO-8601 instant", json.getNodeFactory().textNode(text));
            }
            return at;
        }
    }

    private void cancel(Context ctx) throws Exception {
        requests.object(ctx);
        String id = ctx.pathParam("runId");
        EngineTaskServer s = server(ctx);
        Run run = s.getRun(id).run();
        if (!run.status().isFinal()) {
            try {
                s.cancel(id);
            } catch (io.taskdeck.client.ConflictException e) {
                // finished meanwhile: Trigger.dev answers a cancel of a finished run with its id too
            }
        }
        send(ctx, 200, json.createObjectNode().put("id", id));
    }

    private void replay(Context ctx) throws Exception {
        JsonNode body = requests.object(ctx);
        Fields f = new Fields();
        JsonNode payload = body.has("payload") ? payload(body.get("payload"), body, "payload", f) : null;
        f.check("invalid replay request");
        Run run = server(ctx).replay(ctx.pathParam("runId"), payload);
        send(ctx, 200, json.createObjectNode().put("id", run.id()));
    }

    private void reschedule(Context ctx) throws Exception {
        JsonNode body = requests.object(ctx);
        Fields f = new Fields();
        JsonNode delay = body.get("delay");
        Instant at = null;
        if (delay == null || delay.isNull()) {
            f.invalid("delay", "a duration such as \"1h\" or an ISO-8601 date", null);
        } else if (delay.isTextual() && instant(delay.textValue()) != null) {
            at = instant(delay.textValue());
        } else {
            Duration d = duration(delay, "delay", f);
            at = d == null ? null : Instant.now().plus(d);
        }
        f.check("invalid reschedule request");
        EngineTaskServer s = server(ctx);
        String id = ctx.pathParam("runId");
        s.reschedule(id, at);
        send(ctx, 200, retrieved(s.getRun(id)));
    }

    private void resetKey(Context ctx) throws Exception {
        JsonNode body = requests.object(ctx);
        Fields f = new Fields();
        String task = f.requiredText(body, "taskIdentifier", "taskIdentifier");
        f.check("invalid idempotency key reset");
        String key = ctx.pathParam("key");
        server(ctx).resetIdempotencyKey(task, key);
        send(ctx, 200, json.createObjectNode().put("id", key));
    }

    private ObjectNode common(Run r) {
        ObjectNode o = json.createObjectNode();
        o.put("id", r.id());
        o.put("status", r.status().name());
        o.put("taskIdentifier", r.taskId());
        putIf(o, "idempotencyKey", r.idempotencyKey());
        RunStatus s = r.status();
        o.put("isQueued", s == RunStatus.QUEUED || s == RunStatus.DELAYED);
        o.put("isExecuting", s == RunStatus.EXECUTING);
        o.put("isWaiting", s == RunStatus.WAITING);
        o.put("isCompleted", s.isFinal());
        o.put("isSuccess", s == RunStatus.COMPLETED);
        o.put("isFailed", s.isFailure() || s == RunStatus.EXPIRED);
        o.put("isCancelled", s == RunStatus.CANCELED);
        o.put("isTest", false);
        o.put("createdAt", r.createdAt().toString());
        Instant updated = r.finishedAt() != null ? r.finishedAt() : r.startedAt() != null ? r.startedAt() : r.createdAt();
        o.put("updatedAt", updated.toString());
        putIf(o, "startedAt", r.startedAt());
        putIf(o, "finishedAt", r.finishedAt());
        putIf(o, "delayedUntil", r.delayUntil());
        if (r.ttl() != null) {
            o.put("ttl", r.ttl().toSeconds() + "s");
        }
        if (s == RunStatus.EXPIRED) {
            putIf(o, "expiredAt", r.finishedAt());
        }
        ArrayNode tags = o.putArray("tags");
        r.tags().forEach(tags::add);
        o.put("costInCents", 0);
        o.put("baseCostInCents", 0);
        long duration = r.startedAt() == null ? 0
                : Math.max(0, Duration.between(r.startedAt(), r.finishedAt() != null ? r.finishedAt() : Instant.now()).toMillis());
        o.put("durationMs", duration);
        if (r.metadata() != null && r.metadata().isObject()) {
            o.set("metadata", r.metadata());
        }
        return o;
    }

    private ObjectNode relatedRun(Run r) {
        ObjectNode o = common(r);
        o.put("depth", r.parentId() == null ? 0 : 1);
        o.put("triggerFunction", "trigger");
        return o;
    }

    private ObjectNode retrieved(RunDetail d) {
        Run r = d.run();
        ObjectNode o = relatedRun(r);
        if (d.related().root() != null) {
            o.put("depth", r.parentId() == null ? 0 : r.rootId() != null && r.rootId().equals(r.parentId()) ? 1 : 2);
        }
        if (r.payload() != null) {
            o.set("payload", r.payload());
        }
        if (r.output() != null) {
            o.set("output", r.output());
        }
        if (r.error() != null) {
            ObjectNode error = o.putObject("error").put("message", r.error().message());
            putIf(error, "name", r.error().type());
            putIf(error, "stackTrace", r.error().stack());
        }
        ObjectNode related = o.putObject("relatedRuns");
        if (d.related().root() != null) {
            related.set("root", relatedRun(d.related().root()));
        }
        if (d.related().parent() != null) {
            related.set("parent", relatedRun(d.related().parent()));
        }
        ArrayNode children = related.putArray("children");
        d.related().children().forEach(c -> children.add(relatedRun(c)));
        o.put("attemptCount", r.attemptCount());
        return o;
    }

    private static void putIf(ObjectNode o, String name, Object value) {
        if (value != null) {
            o.put(name, value.toString());
        }
    }

    // --- queues -------------------------------------------------------------------------------------------

    /** The queue a path names: {@code ?type=task} (a task id), {@code custom} (a queue name) or {@code id}. */
    private String queueName(Context ctx, JsonNode body) {
        String value = ctx.pathParam("queue");
        String type = ctx.queryParam("type");
        if (type == null && body != null && body.path("type").isTextual()) {
            type = body.path("type").textValue();
        }
        if (type == null || type.equals("id")) {
            if (value.startsWith("queue_")) {
                try {
                    return new String(Base64.getUrlDecoder().decode(value.substring(6)), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw ApiError.notFound("no queue with id " + value);
                }
            }
            return value;
        }
        return switch (type) {
            case "task" -> server(ctx).engine().task(value).map(t -> t.queue().name()).orElse("task/" + value);
            case "custom" -> value;
            default -> throw ApiError.badRequest("type must be task, custom or id",
                    new FieldError("type", "task, custom or id", Texts.abbreviate(type)));
        };
    }

    private static String queueId(String name) {
        return "queue_" + Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode queue(QueueInfo q) {
        ObjectNode o = json.createObjectNode();
        o.put("id", queueId(q.name()));
        o.put("name", q.name());
        o.put("type", q.name().startsWith("task/") ? "task" : "custom");
        o.put("running", q.running());
        o.put("queued", q.queued());
        o.put("paused", q.paused());
        if (q.concurrencyLimit() == null) {
            o.putNull("concurrencyLimit");
        } else {
            o.put("concurrencyLimit", q.concurrencyLimit());
        }
        o.put("version", "V1");
        ObjectNode c = o.putObject("concurrency");
        putNullable(c, "current", q.concurrencyLimit());
        putNullable(c, "base", q.baseConcurrencyLimit());
        putNullable(c, "override", q.override() == null ? null : q.override().limit());
        if (q.override() != null && q.override().at() != null) {
            c.put("overriddenAt", q.override().at().toString());
        } else {
            c.putNull("overriddenAt");
        }
        if (q.override() != null && q.override().by() != null) {
            c.put("overriddenBy", q.override().by());
        } else {
            c.putNull("overriddenBy");
        }
        return o;
    }

    private static void putNullable(ObjectNode o, String name, Integer value) {
        if (value == null) {
            o.putNull(name);
        } else {
            o.put(name, value);
        }
    }

    private void listQueues(Context ctx) throws Exception {
        int page = positiveInt(ctx, "page", 1);
        int perPage = positiveInt(ctx, "perPage", 25);
        List<QueueInfo> all = server(ctx).listQueues();
        int totalPages = Math.max(1, (all.size() + perPage - 1) / perPage);
        ArrayNode data = json.createArrayNode();
        long start = (long) (page - 1) * perPage;
        for (long i = start; i < Math.min(all.size(), start + perPage); i++) {
            data.add(queue(all.get((int) i)));
        }
        ObjectNode out = json.createObjectNode();
        out.set("data", data);
        out.putObject("pagination").put("currentPage", page).put("totalPages", totalPages).put("count", all.size());
        send(ctx, 200, out);
    }

    private int positiveInt(Context ctx, String name, int fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= 1 && v <= 10_000) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiError.badRequest(name + " must be an integer from 1 to 10000",
                new FieldError(name, "an integer from 1 to 10000", Texts.abbreviate(text)));
    }

    private void pause(Context ctx) throws Exception {
        JsonNode body = requests.object(ctx);
        Fields f = new Fields();
        String action = f.text(body, "action", "action");
        if (f.ok() && !"pause".equals(action) && !"resume".equals(action)) {
            f.invalid("action", "\"pause\" or \"resume\"", action);
        }
        f.check("invalid queue action");
        String name = queueName(ctx, body);
        QueueInfo q = "pause".equals(action) ? server(ctx).pauseQueue(name) : server(ctx).resumeQueue(name);
        send(ctx, 200, queue(q));
    }

    private void override(Context ctx) throws Exception {
        JsonNode body = requests.object(ctx);
        Fields f = new Fields();
        JsonNode limit = body.get("concurrencyLimit");
        if (limit == null || !limit.isNumber()) {
            f.wrongType("concurrencyLimit", "an integer >= 0", limit);
        } else if (!limit.canConvertToInt() || limit.doubleValue() < 0 || limit.doubleValue() != Math.floor(limit.doubleValue())) {
            f.invalid("concurrencyLimit", "an integer >= 0", limit.toString());
        }
        f.check("invalid concurrency override");
        send(ctx, 200, queue(server(ctx).overrideConcurrency(queueName(ctx, body), limit.intValue())));
    }
}
