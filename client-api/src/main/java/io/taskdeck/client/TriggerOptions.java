package io.taskdeck.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of a trigger, as in Trigger.dev v4. Every field is optional (null or empty when unset).
 *
 * @param idempotencyKey    a second trigger with the same key (and task) returns the first run instead of a new one
 * @param idempotencyKeyTTL how long the key is remembered; the server's default (30 days) when null
 * @param concurrencyKey    runs with the same key run one at a time (up to the task's concurrencyKeyLimit), in order
 * @param delay             stay DELAYED this long before being queued
 * @param ttl               EXPIRED if not started within this long after being queued
 * @param tags              at most {@value #MAX_TAGS}, each shorter than {@value #MAX_TAG_LENGTH} characters
 * @param metadata          a JSON object attached to the run
 * @param priority          seconds of head start (≥ 0)
 * @param maxAttempts       overrides the task's retry.maxAttempts (≥ 1)
 * @param queue             overrides the task's queue
 */
public record TriggerOptions(
        String idempotencyKey,
        Duration idempotencyKeyTTL,
        String concurrencyKey,
        Duration delay,
        Duration ttl,
        List<String> tags,
        JsonNode metadata,
        Integer priority,
        Integer maxAttempts,
        String queue) {

    public static final int MAX_TAGS = 10;
    public static final int MAX_TAG_LENGTH = 128;
    public static final TriggerOptions NONE = builder().build();

    public TriggerOptions {
        tags = tags == null ? List.of() : List.copyOf(tags);
        metadata = TaskdeckJson.absentIfNull(metadata);
        if (tags.size() > MAX_TAGS) {
            throw new IllegalArgumentException("at most " + MAX_TAGS + " tags are allowed, got " + tags.size());
        }
        for (String tag : tags) {
            if (tag.isEmpty() || tag.length() >= MAX_TAG_LENGTH) {
                throw new IllegalArgumentException(
                        "a tag must have 1 to " + (MAX_TAG_LENGTH - 1) + " characters, got " + tag.length());
            }
        }
        requireNotNegative("idempotencyKeyTTL", idempotencyKeyTTL);
        requireNotNegative("delay", delay);
        requireNotNegative("ttl", ttl);
        if (priority != null && priority < 0) {
            throw new IllegalArgumentException("priority must be >= 0 seconds, got " + priority);
        }
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (metadata != null && !metadata.isObject()) {
            throw new IllegalArgumentException("metadata must be a JSON object, got " + metadata.getNodeType());
        }
    }

    private static void requireNotNegative(String name, Duration d) {
        if (d != null && d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String idempotencyKey;
        private Duration idempotencyKeyTTL;
        private String concurrencyKey;
        private Duration delay;
        private Duration ttl;
        private final List<String> tags = new ArrayList<>();
        private JsonNode metadata;
        private Integer priority;
        private Integer maxAttempts;
        private String queue;

        private Builder() {
        }

        public Builder idempotencyKey(String key) {
            this.idempotencyKey = key;
            return this;
        }

        public Builder idempotencyKey(String key, Duration ttl) {
            this.idempotencyKey = key;
            this.idempotencyKeyTTL = ttl;
            return this;
        }

        public Builder concurrencyKey(String key) {
            this.concurrencyKey = key;
            return this;
        }

        public Builder delay(Duration delay) {
            this.delay = delay;
            return this;
        }

        public Builder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        public Builder tags(String... tags) {
            this.tags.addAll(List.of(tags));
            return this;
        }

        public Builder metadata(JsonNode metadata) {
            this.metadata = metadata;
            return this;
        }

        public Builder priority(int seconds) {
            this.priority = seconds;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder queue(String queue) {
            this.queue = queue;
            return this;
        }

        public TriggerOptions build() {
            return new TriggerOptions(idempotencyKey, idempotencyKeyTTL, concurrencyKey, delay, ttl, tags, metadata,
                    priority, maxAttempts, queue);
        }
    }
}
