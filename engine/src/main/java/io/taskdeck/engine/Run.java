package io.taskdeck.engine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An immutable snapshot of one run as the store holds it. Payload, output and metadata are
 * JSON text: they are parsed only when a handler or a view needs them.
 *
 * @param runAt            when the run is (or was) due: the end of its delay, retry timer or requeue
 * @param expiresAt        a pending run still not started at this instant becomes EXPIRED (its TTL)
 * @param attempts         attempts started so far, over the run's whole history
 * @param maxAttempts      the attempt number after which no retry happens (requeue raises it)
 * @param nodeId           the node holding the run while EXECUTING or WAITING
 * @param leaseUntil       the node's lease; past it, another node may rescue the run
 * @param fingerprint      the dead-letter grouping key (task + normalized error), when failed for good
 */
public record Run(
        String id,
        String taskId,
        String queue,
        RunStatus status,
        String payload,
        String output,
        RunError error,
        String metadata,
        List<String> tags,
        String idempotencyKey,
        Instant idempotencyKeyExpiresAt,
        String concurrencyKey,
        int priority,
        Instant createdAt,
        Instant runAt,
        Instant expiresAt,
        Instant startedAt,
        Instant completedAt,
        Instant updatedAt,
        int attempts,
        int maxAttempts,
        String parentId,
        String rootId,
        String batchId,
        String nodeId,
        Instant leaseUntil,
        DeadLetterState deadLetter,
        String fingerprint) {

    public Run {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        tags = tags == null ? List.of() : List.copyOf(tags);
        deadLetter = deadLetter == null ? DeadLetterState.NONE : deadLetter;
        payload = payload == null ? "null" : payload;
        updatedAt = updatedAt == null ? createdAt : updatedAt;
    }

    /**
     * The scheduling order within a queue and a concurrency key: trigger time minus the
     * priority's head start in seconds, as Trigger.dev orders runs. Ties go to the older id.
     */
    public long orderKey() {
        return createdAt.toEpochMilli() - priority * 1000L;
    }

    /**
     * Waiting for its retry timer after a failed attempt (QUEUED with an error and attempts
     * behind it). A keyed run in this state keeps its key's slot. Requeue clears the error.
     */
    public boolean isRetryPending() {
        return status == RunStatus.QUEUED && attempts > 0 && error != null;
    }

    public boolean isFinal() {
        return status.isFinal();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder(String id, String taskId, String queue, Instant createdAt) {
        Builder b = new Builder();
        b.id = id;
        b.taskId = taskId;
        b.queue = queue;
        b.createdAt = createdAt;
        b.status = RunStatus.QUEUED;
        b.maxAttempts = 1;
        return b;
    }

    /** Copies a run with changes; stores and the engine use it to derive the next snapshot. */
    public static final class Builder {
        private String id;
        private String taskId;
        private String queue;
        private RunStatus status;
        private String payload;
        private String output;
        private RunError error;
        private String metadata;
        private List<String> tags;
        private String idempotencyKey;
        private Instant idempotencyKeyExpiresAt;
        private String concurrencyKey;
        private int priority;
        private Instant createdAt;
        private Instant runAt;
        private Instant expiresAt;
        private Instant startedAt;
        private Instant completedAt;
        private Instant updatedAt;
        private int attempts;
        private int maxAttempts;
        private String parentId;
        private String rootId;
        private String batchId;
        private String nodeId;
        private Instant leaseUntil;
        private DeadLetterState deadLetter;
        private String fingerprint;

        private Builder() {
        }

        private Builder(Run r) {
            id = r.id;
            taskId = r.taskId;
            queue = r.queue;
            status = r.status;
            payload = r.payload;
            output = r.output;
            error = r.error;
            metadata = r.metadata;
            tags = r.tags;
            idempotencyKey = r.idempotencyKey;
            idempotencyKeyExpiresAt = r.idempotencyKeyExpiresAt;
            concurrencyKey = r.concurrencyKey;
            priority = r.priority;
            createdAt = r.createdAt;
            runAt = r.runAt;
            expiresAt = r.expiresAt;
            startedAt = r.startedAt;
            completedAt = r.completedAt;
            updatedAt = r.updatedAt;
            attempts = r.attempts;
            maxAttempts = r.maxAttempts;
            parentId = r.parentId;
            rootId = r.rootId;
            batchId = r.batchId;
            nodeId = r.nodeId;
            leaseUntil = r.leaseUntil;
            deadLetter = r.deadLetter;
            fingerprint = r.fingerprint;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder taskId(String v) { taskId = v; return this; }
        public Builder queue(String v) { queue = v; return this; }
        public Builder status(RunStatus v) { status = v; return this; }
        public Builder payload(String v) { payload = v; return this; }
        public Builder output(String v) { output = v; return this; }
        public Builder error(RunError v) { error = v; return this; }
        public Builder metadata(String v) { metadata = v; return this; }
        public Builder tags(List<String> v) { tags = v; return this; }
        public Builder idempotencyKey(String v) { idempotencyKey = v; return this; }
        public Builder idempotencyKeyExpiresAt(Instant v) { idempotencyKeyExpiresAt = v; return this; }
        public Builder concurrencyKey(String v) { concurrencyKey = v; return this; }
        public Builder priority(int v) { priority = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder runAt(Instant v) { runAt = v; return this; }
        public Builder expiresAt(Instant v) { expiresAt = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder completedAt(Instant v) { completedAt = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }
        public Builder attempts(int v) { attempts = v; return this; }
        public Builder maxAttempts(int v) { maxAttempts = v; return this; }
        public Builder parentId(String v) { parentId = v; return this; }
        public Builder rootId(String v) { rootId = v; return this; }
        public Builder batchId(String v) { batchId = v; return this; }
        public Builder nodeId(String v) { nodeId = v; return this; }
        public Builder leaseUntil(Instant v) { leaseUntil = v; return this; }
        public Builder deadLetter(DeadLetterState v) { deadLetter = v; return this; }
        public Builder fingerprint(String v) { fingerprint = v; return this; }

        public Run build() {
            return new Run(id, taskId, queue, status, payload, output, error, metadata, tags,
                    idempotencyKey, idempotencyKeyExpiresAt, concurrencyKey, priority, createdAt, runAt,
                    expiresAt, startedAt, completedAt, updatedAt, attempts, maxAttempts, parentId, rootId,
                    batchId, nodeId, leaseUntil, deadLetter, fingerprint);
        }
    }
}
