package io.taskdeck.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.taskdeck.client.BulkActionKind;
import io.taskdeck.client.BulkActionRequest;
import io.taskdeck.client.FieldError;
import io.taskdeck.client.PageRequest;
import io.taskdeck.client.RequeueOptions;
import io.taskdeck.client.RunFilter;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.client.TriggerRequest;
import io.taskdeck.client.TriggerResult;
import io.taskdeck.server.EngineTaskServer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Taskdeck's own endpoints under {@code /api/taskdeck/v1}, as client-api/API.md defines them. */
public final class TaskdeckApi {

    public static final String PREFIX = "/api/taskdeck/v1";

    private final Requests requests;
    private final Function<Context, EngineTaskServer> caller;
    private final EventStream events;

    public TaskdeckApi(Requests requests, Function<Context, EngineTaskServer> caller, EventStream events) {
        this.requests = requests;
        this.caller = caller;
        this.events = events;
    }

    public void register(Javalin app) {
        String p = PREFIX;
        app.get(p + "/runs", this::listRuns);
        app.get(p + "/runs/{runId}", ctx -> json(ctx, 200, server(ctx).getRun(ctx.pathParam("runId"))));
        app.get(p + "/runs/{runId}/attempts", ctx -> json(ctx, 200, data(server(ctx).getRun(ctx.pathParam("runId")).attempts())));
        app.get(p + "/runs/{runId}/logs", ctx -> json(ctx, 200, data(server(ctx).getRun(ctx.pathParam("runId")).logs())));
        app.get(p + "/runs/{runId}/events", ctx -> json(ctx, 200, data(server(ctx).getRun(ctx.pathParam("runId")).events())));
        app.post(p + "/tasks/batch", this::batch);
        app.post(p + "/tasks/{taskId}/trigger", this::trigger);
        app.post(p + "/runs/{runId}/cancel", ctx -> {
            requests.object(ctx);
            json(ctx, 200, server(ctx).cancel(ctx.pathParam("runId")));
        });
        app.post(p + "/runs/{runId}/replay", ctx -> {
            JsonNode body = requests.object(ctx);
            json(ctx, 201, server(ctx).replay(ctx.pathParam("runId"), payload(body)));
        });
        app.post(p + "/runs/{runId}/requeue", ctx -> {
            JsonNode body = requests.object(ctx);
            Fields f = new Fields();
            String queue = f.text(body, "queue", "queue");
            if (queue != null && queue.isBlank()) {
                f.invalid("queue", "a non-blank queue name", "\"" + queue + "\"");
            }
            f.check("invalid requeue request");
            json(ctx, 200, server(ctx).requeue(ctx.pathParam("runId"), new RequeueOptions(payload(body), queue)));
        });
        app.post(p + "/runs/{runId}/discard", ctx -> {
            requests.object(ctx);
            json(ctx, 200, server(ctx).discard(ctx.pathParam("runId")));
        });
        app.post(p + "/runs/{runId}/reschedule", ctx -> {
            JsonNode body = requests.object(ctx);
            Fields f = new Fields();
            Instant at = f.instant(body, "delayUntil", "delayUntil");
            if (at == null && f.ok()) {
                f.invalid("delayUntil", "an ISO-8601 instant", null);
            }
            f.check("invalid reschedule request");
            json(ctx, 200, server(ctx).reschedule(ctx.pathParam("runId"), at));
        });
        app.post(p + "/idempotency-keys/reset", ctx -> {
            JsonNode body = requests.object(ctx);
            Fields f = new Fields();
            String taskId = f.requiredText(body, "taskId", "taskId");
            String key = f.requiredText(body, "idempotencyKey", "idempotencyKey");
            f.check("invalid idempotency key reset");
            server(ctx).resetIdempotencyKey(taskId, key);
            ctx.status(204);
        });

        app.post(p + "/bulk-actions", this::startBulk);
        app.get(p + "/bulk-actions", ctx -> json(ctx, 200, data(server(ctx).listBulkActions())));
        app.get(p + "/bulk-actions/{id}", ctx -> json(ctx, 200, server(ctx).getBulkAction(ctx.pathParam("id"))));
        app.post(p + "/bulk-actions/{id}/abort", ctx -> {
            requests.object(ctx);
            json(ctx, 200, server(ctx).abortBulkAction(ctx.pathParam("id")));
        });

        app.get(p + "/queues", ctx -> json(ctx, 200, data(server(ctx).listQueues())));
        app.get(p + "/queues/{name}", ctx -> json(ctx, 200, server(ctx).getQueue(ctx.pathParam("name"))));
        app.post(p + "/queues/{name}/pause", ctx -> {
            requests.object(ctx);
            json(ctx, 200, server(ctx).pauseQueue(ctx.pathParam("name")));
        });
        app.post(p + "/queues/{name}/resume", ctx -> {
            requests.object(ctx);
            json(ctx, 200, server(ctx).resumeQueue(ctx.pathParam("name")));
        });
        app.post(p + "/queues/{name}/concurrency/override", ctx -> {
            JsonNode body = requests.object(ctx);
            Fields f = new Fields();
            Integer limit = f.integer(body, "concurrencyLimit", "concurrencyLimit");
            if (f.ok() && (limit == null || limit < 0)) {
                f.invalid("concurrencyLimit", "an integer >= 0", limit == null ? null : limit.toString());
            }
            f.check("invalid concurrency override");
            json(ctx, 200, server(ctx).overrideConcurrency(ctx.pathParam("name"), limit));
        });
        app.post(p + "/queues/{name}/concurrency/reset", ctx -> {
            requests.object(ctx);
            json(ctx, 200, server(ctx).resetConcurrency(ctx.pathParam("name")));
        });

        app.get(p + "/tasks", ctx -> json(ctx, 200, data(server(ctx).listTasks())));
        app.get(p + "/tasks/{taskId}", ctx -> json(ctx, 200, server(ctx).getTask(ctx.pathParam("taskId"))));
        app.get(p + "/dead-letters", ctx -> json(ctx, 200, data(server(ctx).deadLetterGroups())));
        app.get(p + "/stats", ctx -> json(ctx, 200, server(ctx).stats()));
        app.get(p + "/nodes", ctx -> json(ctx, 200, data(server(ctx).nodes())));
        app.get(p + "/whoami", ctx -> {
            EngineTaskServer s = server(ctx);
            json(ctx, 200, Map.of("role", s.role(), "keyName", s.actor()));
        });
        app.get(p + "/events", events::handle);
    }

    private EngineTaskServer server(Context ctx) {
        return caller.apply(ctx);
    }

    private static Map<String, Object> data(Object list) {
        return Map.of("data", list);
    }

    private void json(Context ctx, int status, Object body) throws Exception {
        ctx.status(status).contentType("application/json; charset=utf-8").result(requests.json().writeValueAsBytes(body));
    }

    private static JsonNode payload(JsonNode body) {
        JsonNode p = body.get("payload");
        return p == null || p.isNull() ? null : p;
    }

    private void listRuns(Context ctx) throws Exception {
        Fields f = new Fields();
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        for (String s : ctx.queryParams("status")) {
            for (String one : s.split(",")) {
                try {
                    statuses.add(RunStatus.valueOf(one.trim()));
                } catch (IllegalArgumentException e) {
                    f.wrongType("status", "one of " + List.of(RunStatus.values()), textNode(one));
                }
            }
        }
        Instant from = instantParam(ctx, "from", f);
        Instant to = instantParam(ctx, "to", f);
        if (from != null && to != null && !from.isBefore(to)) {
            f.wrongType("from", "an instant before \"to\" (" + to + ")", textNode(from.toString()));
        }
        int limit = PageRequest.DEFAULT_SIZE;
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.trim());
                if (limit < 1 || limit > PageRequest.MAX_SIZE) {
                    f.wrongType("limit", "an integer from 1 to " + PageRequest.MAX_SIZE, textNode(limitText));
                }
            } catch (NumberFormatException e) {
                f.wrongType("limit", "an integer from 1 to " + PageRequest.MAX_SIZE, textNode(limitText));
            }
        }
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && cursor.isEmpty()) {
            cursor = null;
        }
        f.check("invalid query parameters");
        RunFilter filter = RunFilter.builder().statuses(statuses).taskId(blankToNull(ctx.queryParam("task")))
                .queue(blankToNull(ctx.queryParam("queue"))).tag(blankToNull(ctx.queryParam("tag")))
                .createdBetween(from, to).search(blankToNull(ctx.queryParam("search")))
                .fingerprint(blankToNull(ctx.queryParam("fingerprint"))).build();
        json(ctx, 200, server(ctx).listRuns(filter, new PageRequest(cursor, limit)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static JsonNode textNode(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s);
    }

    private static Instant instantParam(Context ctx, String name, Fields f) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            f.wrongType(name, "an ISO-8601 instant such as 2025-01-31T12:00:00Z", textNode(text));
            return null;
        }
    }

    private void trigger(Context ctx) throws Exception {
        JsonNode body = requests.object(ctx);
        Fields f = new Fields();
        JsonNode options = f.object(body, "options", "options");
        TriggerOptions o = Requests.triggerOptions(options, "options.", f);
        f.check("invalid trigger request");
        TriggerResult r = server(ctx).trigger(ctx.pathParam("taskId"), payload(body), o);
        json(ctx, r.cached() ? 200 : 201, Map.of("id", r.id(), "cached", r.cached()));
    }

    private void batch(Context ctx) throws Exception {
        JsonNode body = requests.object(ctx);
        JsonNode items = body.get("items");
        if (items == null || !items.isArray()) {
            throw ApiError.badRequest("the body needs \"items\": an array of 1 to 500 trigger items",
                    new FieldError("items", "an array of 1 to 500 items", Fields.show(items)));
        }
        if (items.size() > EngineTaskServer.MAX_BATCH) {
            throw new ApiError(413, "payload_too_large", "a batch holds at most " + EngineTaskServer.MAX_BATCH
                    + " items, got " + items.size(), List.of(new FieldError("items", "at most 500 items", items.size() + " items")));
        }
        if (items.isEmpty()) {
            throw ApiError.invalid("a batch needs at least one item",
                    List.of(new FieldError("items", "1 to 500 items", "0 items")));
        }
        Fields f = new Fields();
        List<TriggerRequest> list = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String path = "items[" + i + "]";
            if (!item.isObject()) {
                f.wrongType(path, "a JSON object", item);
                continue;
            }
            String taskId = f.requiredText(item, "taskId", path + ".taskId");
            JsonNode options = f.object(item, "options", path + ".options");
            TriggerOptions o = Requests.triggerOptions(options, path + ".options.", f);
            if (taskId != null && o != null) {
                list.add(new TriggerRequest(taskId, payload(item), o));
            }
        }
        f.check("invalid batch items; nothing was triggered");
        List<TriggerResult> results = server(ctx).batchTrigger(list);
        json(ctx, 201, data(results));
    }

    private void startBulk(Context ctx) throws Exception {
        JsonNode body = requests.object(ctx);
        Fields f = new Fields();
        String kindText = f.requiredText(body, "kind", "kind");
        BulkActionKind kind = null;
        if (kindText != null) {
            for (BulkActionKind k : BulkActionKind.values()) {
                if (k.name().equalsIgnoreCase(kindText)) {
                    kind = k;
                }
            }
            if (kind == null) {
                f.invalid("kind", "one of requeue, replay, cancel, discard", "\"" + kindText + "\"");
            }
        }
        List<String> runIds = f.strings(body, "runIds", "runIds");
        JsonNode filterNode = f.object(body, "filter", "filter");
        Double rate = f.number(body, "ratePerSecond", "ratePerSecond");
        JsonNode requeueNode = f.object(body, "requeue", "requeue");
        RunFilter filter = null;
        if (filterNode != null) {
            filter = filter(filterNode, f);
        }
        if ((runIds == null) == (filterNode == null) && f.ok()) {
            f.invalid("runIds", "exactly one of runIds and filter", runIds == null ? "neither" : "both");
        }
        if (runIds != null && (runIds.isEmpty() || runIds.size() > BulkActionRequest.MAX_RUN_IDS)) {
            f.invalid("runIds", "1 to " + BulkActionRequest.MAX_RUN_IDS + " run ids", runIds.size() + " ids");
        }
        if (rate != null && !(rate > 0) || rate != null && rate.isInfinite()) {
            f.invalid("ratePerSecond", "a number > 0, or null", rate.toString());
        }
        RequeueOptions requeue = null;
        if (requeueNode != null) {
            String queue = f.text(requeueNode, "queue", "requeue.queue");
            if (queue != null && queue.isBlank()) {
                f.invalid("requeue.queue", "a non-blank queue name", "\"" + queue + "\"");
            }
            requeue = new RequeueOptions(payload(requeueNode), queue);
            if (kind != null && kind != BulkActionKind.REQUEUE) {
                f.invalid("requeue", "null unless kind is requeue", Fields.show(requeueNode));
            }
        }
        f.check("invalid bulk action");
        json(ctx, 202, server(ctx).startBulkAction(new BulkActionRequest(kind, runIds, filter, rate, requeue)));
    }

    private static RunFilter filter(JsonNode node, Fields f) {
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        List<String> names = f.strings(node, "statuses", "filter.statuses");
        if (names != null) {
            for (int i = 0; i < names.size(); i++) {
                try {
                    statuses.add(RunStatus.valueOf(names.get(i)));
                } catch (IllegalArgumentException e) {
                    f.invalid("filter.statuses[" + i + "]", "a run status such as FAILED", "\"" + names.get(i) + "\"");
                }
            }
        }
        Instant from = f.instant(node, "createdFrom", "filter.createdFrom");
        Instant to = f.instant(node, "createdTo", "filter.createdTo");
        if (from != null && to != null && !from.isBefore(to)) {
            f.invalid("filter.createdFrom", "an instant before createdTo", from.toString());
            return null;
        }
        return RunFilter.builder().statuses(statuses).taskId(f.text(node, "taskId", "filter.taskId"))
                .queue(f.text(node, "queue", "filter.queue")).tag(f.text(node, "tag", "filter.tag"))
                .createdBetween(from, to).search(f.text(node, "search", "filter.search"))
                .fingerprint(f.text(node, "fingerprint", "filter.fingerprint")).build();
    }
}
