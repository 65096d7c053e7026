package io.taskdeck.app.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskdeck.client.HttpTaskServer;
import io.taskdeck.client.Run;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The trigger that made a run, as a command to paste: a curl call of Taskdeck's HTTP API, or a
 * call of the official {@code @trigger.dev/sdk}. Both carry the payload and the trigger options
 * the run kept (idempotency key, concurrency key, tags, metadata, priority, queue, max attempts,
 * ttl). The API key is never written out: the snippets read it from {@code $TASKDECK_API_KEY}.
 */
public final class TriggerSnippets {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TriggerSnippets() {
    }

    /** {@code curl} against {@code baseUrl} (a placeholder when the server has no URL). */
    public static String curl(String baseUrl, Run run, JsonNode payload) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("payload", payload == null ? JsonNodeFactory.instance.nullNode() : payload);
        ObjectNode options = options(run, true);
        if (!options.isEmpty()) {
            body.set("options", options);
        }
        String url = (baseUrl == null ? "$TASKDECK_URL" : baseUrl) + HttpTaskServer.API_PREFIX + "/tasks/"
                + URLEncoder.encode(run.taskId(), StandardCharsets.UTF_8).replace("+", "%20") + "/trigger";
        return "curl -X POST '" + url + "' \\\n"
                + "  -H \"Authorization: Bearer $TASKDECK_API_KEY\" \\\n"
                + "  -H 'Content-Type: application/json' \\\n"
                + "  -d '" + write(body).replace("'", "'\\''") + "'";
    }

    /** The same trigger with {@code @trigger.dev/sdk} (v4): {@code tasks.trigger(id, payload, options)}. */
    public static String sdk(Run run, JsonNode payload) {
        ObjectNode options = options(run, false);
        StringBuilder b = new StringBuilder("import { tasks } from \"@trigger.dev/sdk\";\n\n");
        b.append("await tasks.trigger(").append(write(JsonNodeFactory.instance.textNode(run.taskId())))
                .append(", ").append(payload == null ? "null" : write(payload));
        if (!options.isEmpty()) {
            b.append(", ").append(write(options));
        }
        return b.append(");").toString();
    }

    private static ObjectNode options(Run run, boolean isoDurations) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (run.idempotencyKey() != null) {
            o.put("idempotencyKey", run.idempotencyKey());
        }
        if (run.concurrencyKey() != null) {
            o.put("concurrencyKey", run.concurrencyKey());
        }
        if (run.queue() != null) {
            o.put("queue", run.queue());
        }
        if (!run.tags().isEmpty()) {
            var tags = o.putArray("tags");
            run.tags().forEach(tags::add);
        }
        if (run.metadata() != null) {
            o.set("metadata", run.metadata());
        }
        if (run.priority() > 0) {
            o.put("priority", run.priority());
        }
        if (run.maxAttempts() > 0) {
            o.put("maxAttempts", run.maxAttempts());
        }
        if (run.ttl() != null) {
            o.put("ttl", isoDurations ? run.ttl().toString() : sdkDuration(run.ttl()));
        }
        return o;
    }

    /** The SDK's duration strings: "90s", "10m", "2h", "1d". */
    static String sdkDuration(Duration d) {
        long s = d.toSeconds();
        if (s > 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s > 0 && s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s > 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return Math.max(s, 1) + "s";
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
