package io.taskdeck.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.taskdeck.client.FieldError;
import io.taskdeck.client.TaskdeckJson;
import io.taskdeck.client.TriggerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/** Reading request bodies: size limit, JSON, and the trigger options both APIs share. */
public final class Requests {

    /** Nesting deeper than this is refused (a hostile body must not exhaust the stack). */
    private static final int MAX_NESTING = 200;
    private static final String BODY = "io.taskdeck.body";

    private final ObjectMapper json;
    private final long maxBytes;

    public Requests(long maxBytes) {
        this.maxBytes = maxBytes;
        ObjectMapper m = TaskdeckJson.newMapper();
        m.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxBytes)).build());
        this.json = m;
    }

    public ObjectMapper json() {
        return json;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The raw body, at most {@link #maxBytes()} (else 413). */
    public byte[] bytes(Context ctx) {
        Object cached = ctx.attribute(BODY);
        if (cached instanceof byte[] b) {
            return b;
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw ApiError.tooLarge("the request body has " + declared + " bytes; at most " + maxBytes + " are accepted");
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw ApiError.badRequest("the request body could not be read: " + e.getMessage());
        }
        if (body.length > maxBytes) {
            throw ApiError.tooLarge("the request body is larger than " + maxBytes + " bytes");
        }
        ctx.attribute(BODY, body);
        return body;
    }

    /** The body as a JSON object; an empty body reads as {}. Not JSON, or not an object: 400. */
    public JsonNode object(Context ctx) {
        byte[] body = bytes(ctx);
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("the request body is not valid JSON: " + e.getOriginalMessage(),
                    new FieldError("body", "a JSON object", null));
        } catch (IOException e) {
            throw ApiError.badRequest("the request body could not be read: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            return json.createObjectNode();
        }
        if (!node.isObject()) {
            throw ApiError.badRequest("the request body must be a JSON object, got " + node.getNodeType().name().toLowerCase(),
                    new FieldError("body", "a JSON object", Fields.show(node)));
        }
        return node;
    }

    /**
     * Taskdeck's trigger options at {@code path} ("options." or "items[2].options."), validated field by
     * field; problems are added to {@code fields}, and null is returned if there were any.
     */
    public static TriggerOptions triggerOptions(JsonNode options, String path, Fields f) {
        if (options == null) {
            return TriggerOptions.NONE;
        }
        String idempotencyKey = f.text(options, "idempotencyKey", path + "idempotencyKey");
        Duration keyTtl = f.duration(options, "idempotencyKeyTTL", path + "idempotencyKeyTTL");
        String concurrencyKey = f.text(options, "concurrencyKey", path + "concurrencyKey");
        Duration delay = f.duration(options, "delay", path + "delay");
        Duration ttl = f.duration(options, "ttl", path + "ttl");
        List<String> tags = f.strings(options, "tags", path + "tags");
        JsonNode metadata = options.get("metadata");
        Integer priority = f.integer(options, "priority", path + "priority");
        Integer maxAttempts = f.integer(options, "maxAttempts", path + "maxAttempts");
        String queue = f.text(options, "queue", path + "queue");
        boolean valid = true;
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            f.invalid(path + "metadata", "a JSON object", Fields.show(metadata));
            valid = false;
        }
        valid &= checkTags(tags, path + "tags", f);
        if (priority != null && priority < 0) {
            f.invalid(path + "priority", "an integer >= 0 (seconds)", priority.toString());
            valid = false;
        }
        if (maxAttempts != null && maxAttempts < 1) {
            f.invalid(path + "maxAttempts", "an integer >= 1", maxAttempts.toString());
            valid = false;
        }
        if (ttl != null && ttl.isZero()) {
            f.invalid(path + "ttl", "a duration > 0", ttl.toString());
            valid = false;
        }
        if (idempotencyKey != null && idempotencyKey.isEmpty()) {
            f.invalid(path + "idempotencyKey", "a non-empty string", "\"\"");
            valid = false;
        }
        if (concurrencyKey != null && concurrencyKey.isEmpty()) {
            f.invalid(path + "concurrencyKey", "a non-empty string", "\"\"");
            valid = false;
        }
        if (queue != null && queue.isBlank()) {
            f.invalid(path + "queue", "a non-blank queue name", "\"" + queue + "\"");
            valid = false;
        }
        if (!valid || !f.ok()) {
            return null;
        }
        return new TriggerOptions(idempotencyKey, keyTtl, concurrencyKey, delay, ttl, tags, metadata, priority,
                maxAttempts, queue);
    }

    /** At most 10 tags, each 1 to 127 characters. */
    public static boolean checkTags(List<String> tags, String path, Fields f) {
        if (tags == null) {
            return true;
        }
        boolean valid = true;
        if (tags.size() > TriggerOptions.MAX_TAGS) {
            f.invalid(path, "at most " + TriggerOptions.MAX_TAGS + " tags", tags.size() + " tags");
            valid = false;
        }
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            if (tag.isEmpty() || tag.length() >= TriggerOptions.MAX_TAG_LENGTH) {
                f.invalid(path + "[" + i + "]", "1 to " + (TriggerOptions.MAX_TAG_LENGTH - 1) + " characters",
                        "\"" + tag + "\"");
                valid = false;
            }
        }
        return valid;
    }
}
