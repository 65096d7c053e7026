package io.taskdeck.client;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which runs to list (or to act on in a bulk action). Every non-null criterion must match; an empty
 * filter matches every run. Listings are ordered newest first (createdAt, then id, descending).
 *
 * @param statuses      any of these statuses; empty for all
 * @param taskId        exact task id
 * @param queue         exact queue name
 * @param tag           runs carrying this tag
 * @param createdFrom   created at or after (inclusive)
 * @param createdTo     created before (exclusive)
 * @param search        exact match on run id, idempotency key or concurrency key
 * @param fingerprint   unresolved dead-letter runs of this error group
 */
public record RunFilter(
        Set<RunStatus> statuses,
        String taskId,
        String queue,
        String tag,
        Instant createdFrom,
        Instant createdTo,
        String search,
        String fingerprint) {

    public static final RunFilter ALL = builder().build();

    public RunFilter {
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        if (createdFrom != null && createdTo != null && !createdFrom.isBefore(createdTo)) {
            throw new IllegalArgumentException(
                    "createdFrom (" + createdFrom + ") must be before createdTo (" + createdTo + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.statuses = statuses.isEmpty() ? EnumSet.noneOf(RunStatus.class) : EnumSet.copyOf(statuses);
        b.taskId = taskId;
        b.queue = queue;
        b.tag = tag;
        b.createdFrom = createdFrom;
        b.createdTo = createdTo;
        b.search = search;
        b.fingerprint = fingerprint;
        return b;
    }

    public static final class Builder {
        private EnumSet<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        private String taskId;
        private String queue;
        private String tag;
        private Instant createdFrom;
        private Instant createdTo;
        private String search;
        private String fingerprint;

        private Builder() {
        }

        public Builder statuses(RunStatus... statuses) {
            this.statuses = EnumSet.noneOf(RunStatus.class);
            this.statuses.addAll(java.util.List.of(statuses));
            return this;
        }

        public Builder statuses(Collection<RunStatus> statuses) {
            this.statuses = EnumSet.noneOf(RunStatus.class);
            this.statuses.addAll(statuses);
            return this;
        }

        public Builder taskId(String taskId) {
            this.taskId = taskId;
            return this;
        }

        public Builder queue(String queue) {
            this.queue = queue;
            return this;
        }

        public Builder tag(String tag) {
            this.tag = tag;
            return this;
        }

        /** Created in [from, to); either bound may be null. */
        public Builder createdBetween(Instant from, Instant to) {
            this.createdFrom = from;
            this.createdTo = to;
            return this;
        }

        public Builder search(String search) {
            this.search = search;
            return this;
        }

        public Builder fingerprint(String fingerprint) {
            this.fingerprint = fingerprint;
            return this;
        }

        public RunFilter build() {
            return new RunFilter(statuses, taskId, queue, tag, createdFrom, createdTo, search, fingerprint);
        }
    }
}
