package io.taskdeck.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to trigger one run; every field is optional. Mirrors Trigger.dev's trigger options.
 *
 * @param idempotencyKey    a repeated key (while live) returns the existing run, marked cached
 * @param idempotencyKeyTTL how long the key stays live (default: forever)
 * @param concurrencyKey    runs sharing it run at most the queue's concurrencyKeyLimit at once, in order
 * @param delay             start no earlier than this from now (DELAYED until then)
 * @param delayUntil        start no earlier than this instant (wins over delay)
 * @param ttl               a run not started within this time after it is due becomes EXPIRED
 * @param tags              at most 10, each shorter than 128 characters
 * @param metadata          any JSON-serializable map; the run may update it while it runs
 * @param priority          seconds of head start over runs triggered at the same time
 * @param maxAttempts       overrides the task's retry.maxAttempts
 * @param queue             runs in this queue instead of the task's
 */
public record TriggerOptions(
        String idempotencyKey,
        Duration idempotencyKeyTTL,
        String concurrencyKey,
        Duration delay,
        Instant delayUntil,
        Duration ttl,
        List<String> tags,
        Map<String, Object> metadata,
        int priority,
        Integer maxAttempts,
        String queue) {

    public static final int MAX_TAGS = 10;
    public static final int MAX_TAG_LENGTH = 127;
    public static final TriggerOptions NONE = builder().build();

    public TriggerOptions {
        tags = tags == null ? List.of() : List.copyOf(tags);
        metadata = metadata == null ? null : Map.copyOf(metadata);
        if (tags.size() > MAX_TAGS) {
            throw new IllegalArgumentException("tags: at most " + MAX_TAGS + " tags, got " + tags.size());
        }
        for (String tag : tags) {
            if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH) {
                throw new IllegalArgumentException("tags: each tag must be 1 to " + MAX_TAG_LENGTH
                        + " characters, got " + tag.length() + " in \"" + abbreviate(tag) + "\"");
            }
        }
        if (priority < 0) {
            throw new IllegalArgumentException("priority must be >= 0 seconds, got " + priority);
        }
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        requireNotNegative("delay", delay);
        requireNotNegative("ttl", ttl);
        requireNotNegative("idempotencyKeyTTL", idempotencyKeyTTL);
        if (ttl != null && ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be > 0");
        }
        if (idempotencyKey != null && idempotencyKey.isEmpty()) {
            throw new IllegalArgumentException("idempotencyKey must not be empty");
        }
        if (concurrencyKey != null && concurrencyKey.isEmpty()) {
            throw new IllegalArgumentException("concurrencyKey must not be empty");
        }
        if (queue != null && queue.isBlank()) {
            throw new IllegalArgumentException("queue must not be blank");
        }
    }

    private static void requireNotNegative(String name, Duration d) {
        if (d != null && d.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + d);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "…";
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.idempotencyKey = idempotencyKey;
        b.idempotencyKeyTTL = idempotencyKeyTTL;
        b.concurrencyKey = concurrencyKey;
        b.delay = delay;
        b.delayUntil = delayUntil;
        b.ttl = ttl;
        b.tags = new ArrayList<>(tags);
        b.metadata = metadata;
        b.priority = priority;
        b.maxAttempts = maxAttempts;
        b.queue = queue;
        return b;
    }

    public static final class Builder {
        private String idempotencyKey;
        private Duration idempotencyKeyTTL;
        private String concurrencyKey;
        private Duration delay;
        private Instant delayUntil;
        private Duration ttl;
        private List<String> tags = new ArrayList<>();
        private Map<String, Object> metadata;
        private int priority;
        private Integer maxAttempts;
        private String queue;

        public Builder idempotencyKey(String value) { idempotencyKey = value; return this; }
        public Builder idempotencyKeyTTL(Duration value) { idempotencyKeyTTL = value; return this; }
        public Builder concurrencyKey(String value) { concurrencyKey = value; return this; }
        public Builder delay(Duration value) { delay = value; return this; }
        public Builder delayUntil(Instant value) { delayUntil = value; return this; }
        public Builder ttl(Duration value) { ttl = value; return this; }
        public Builder tags(String... values) { tags = new ArrayList<>(List.of(values)); return this; }
        public Builder tags(List<String> values) { tags = new ArrayList<>(values); return this; }
        public Builder metadata(Map<String, Object> value) { metadata = value; return this; }
        public Builder priority(int seconds) { priority = seconds; return this; }
        public Builder maxAttempts(int value) { maxAttempts = value; return this; }
        public Builder queue(String name) { queue = name; return this; }

        public TriggerOptions build() {
            return new TriggerOptions(idempotencyKey, idempotencyKeyTTL, concurrencyKey, delay, delayUntil, ttl,
                    tags, metadata, priority, maxAttempts, queue);
        }
    }
}
