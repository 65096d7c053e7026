package io.taskdeck.engine;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A filter over runs with cursor paging. Runs come newest first by default; the cursor is the
 * id of the last run of the previous page, so pages stay stable while new runs arrive.
 *
 * @param statuses   any of these (empty: all)
 * @param tag        runs carrying this tag
 * @param createdFrom inclusive
 * @param createdTo   exclusive
 * @param cursor     the id after which the page starts (in the chosen order), null for the first page
 */
public record RunQuery(
        Set<RunStatus> statuses,
        Set<String> taskIds,
        Set<String> queues,
        String tag,
        Instant createdFrom,
        Instant createdTo,
        String idempotencyKey,
        String concurrencyKey,
        String parentId,
        Set<DeadLetterState> deadLetter,
        String fingerprint,
        String cursor,
        int limit,
        boolean oldestFirst) {

    public static final int MAX_LIMIT = 1000;

    public RunQuery {
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(statuses);
        taskIds = taskIds == null ? Set.of() : Set.copyOf(taskIds);
        queues = queues == null ? Set.of() : Set.copyOf(queues);
        deadLetter = deadLetter == null ? Set.of() : Set.copyOf(deadLetter);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static RunQuery all() {
        return builder().build();
    }

    /** Whether a run passes every filter (cursor and order aside). Stores may use it as is. */
    public boolean matches(Run run) {
        return (statuses.isEmpty() || statuses.contains(run.status()))
                && (taskIds.isEmpty() || taskIds.contains(run.taskId()))
                && (queues.isEmpty() || queues.contains(run.queue()))
                && (tag == null || run.tags().contains(tag))
                && (createdFrom == null || !run.createdAt().isBefore(createdFrom))
                && (createdTo == null || run.createdAt().isBefore(createdTo))
                && (idempotencyKey == null || idempotencyKey.equals(run.idempotencyKey()))
                && (concurrencyKey == null || concurrencyKey.equals(run.concurrencyKey()))
                && (parentId == null || parentId.equals(run.parentId()))
                && (deadLetter.isEmpty() || deadLetter.contains(run.deadLetter()))
                && (fingerprint == null || fingerprint.equals(run.fingerprint()));
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.statuses = statuses.isEmpty() ? EnumSet.noneOf(RunStatus.class) : EnumSet.copyOf(statuses);
        b.taskIds = taskIds;
        b.queues = queues;
        b.tag = tag;
        b.createdFrom = createdFrom;
        b.createdTo = createdTo;
        b.idempotencyKey = idempotencyKey;
        b.concurrencyKey = concurrencyKey;
        b.parentId = parentId;
        b.deadLetter = deadLetter;
        b.fingerprint = fingerprint;
        b.cursor = cursor;
        b.limit = limit;
        b.oldestFirst = oldestFirst;
        return b;
    }

    public static final class Builder {
        private Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        private Set<String> taskIds = Set.of();
        private Set<String> queues = Set.of();
        private String tag;
        private Instant createdFrom;
        private Instant createdTo;
        private String idempotencyKey;
        private String concurrencyKey;
        private String parentId;
        private Set<DeadLetterState> deadLetter = Set.of();
        private String fingerprint;
        private String cursor;
        private int limit = 50;
        private boolean oldestFirst;

        public Builder status(RunStatus... values) {
            statuses = values.length == 0 ? EnumSet.noneOf(RunStatus.class) : EnumSet.copyOf(Arrays.asList(values));
            return this;
        }

        public Builder statuses(Set<RunStatus> values) { statuses = values; return this; }
        public Builder taskId(String... values) { taskIds = Set.copyOf(List.of(values)); return this; }
        public Builder queue(String... values) { queues = Set.copyOf(List.of(values)); return this; }
        public Builder tag(String value) { tag = value; return this; }
        public Builder createdFrom(Instant value) { createdFrom = value; return this; }
        public Builder createdTo(Instant value) { createdTo = value; return this; }
        public Builder idempotencyKey(String value) { idempotencyKey = value; return this; }
        public Builder concurrencyKey(String value) { concurrencyKey = value; return this; }
        public Builder parentId(String value) { parentId = value; return this; }
        public Builder deadLetter(DeadLetterState... values) { deadLetter = Set.copyOf(List.of(values)); return this; }
        public Builder fingerprint(String value) { fingerprint = value; return this; }
        public Builder cursor(String value) { cursor = value; return this; }
        public Builder limit(int value) { limit = value; return this; }
        public Builder oldestFirst(boolean value) { oldestFirst = value; return this; }

        public RunQuery build() {
            return new RunQuery(statuses, taskIds, queues, tag, createdFrom, createdTo, idempotencyKey,
                    concurrencyKey, parentId, deadLetter, fingerprint, cursor, limit, oldestFirst);
        }
    }
}
