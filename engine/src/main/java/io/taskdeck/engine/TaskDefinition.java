package io.taskdeck.engine;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;

import java.time.Duration;
import java.util.Objects;

/**
 * A task: its id, queue, retry policy, time limit, payload type and schema, handler and hooks.
 *
 * <pre>{@code
 * TaskDefinition.builder("send-email", Email.class)
 *     .queue(QueueOptions.of("email", 10))
 *     .retry(RetryPolicy.attempts(5))
 *     .maxDuration(Duration.ofMinutes(1))
 *     .handler((email, ctx) -> mailer.send(email))
 *     .build();
 * }</pre>
 *
 * A task whose payload type is {@code JsonNode} takes any JSON.
 */
public final class TaskDefinition<P> {

    private final String id;
    private final JavaType payloadType;
    private final QueueOptions queue;
    private final RetryPolicy retry;
    private final Duration maxDuration;
    private final String payloadSchema;
    private final TaskHandler<P> handler;
    private final TaskHooks.CatchError<P> catchError;
    private final TaskHooks.OnStart<P> onStart;
    private final TaskHooks.OnSuccess<P> onSuccess;
    private final TaskHooks.OnFailure<P> onFailure;

    private TaskDefinition(Builder<P> b) {
        this.id = b.id;
        this.payloadType = b.payloadType;
        this.queue = b.queue == null ? QueueOptions.named("task/" + b.id) : b.queue;
        this.retry = b.retry;
        this.maxDuration = b.maxDuration;
        this.payloadSchema = b.payloadSchema;
        this.handler = Objects.requireNonNull(b.handler, () -> "task " + b.id + " has no handler");
        this.catchError = b.catchError;
        this.onStart = b.onStart;
        this.onSuccess = b.onSuccess;
        this.onFailure = b.onFailure;
    }

    public static <P> Builder<P> builder(String id, Class<P> payloadType) {
        return new Builder<>(id, TypeFactory.defaultInstance().constructType(payloadType));
    }

    /** For generic payload types: {@code builder("id", mapper.getTypeFactory().constructType(...))}. */
    public static <P> Builder<P> builder(String id, JavaType payloadType) {
        return new Builder<>(id, payloadType);
    }

    public String id() { return id; }
    public JavaType payloadType() { return payloadType; }
    public QueueOptions queue() { return queue; }
    public RetryPolicy retry() { return retry; }
    /** Null when the task has no time limit. */
    public Duration maxDuration() { return maxDuration; }
    /** The payload's JSON Schema as text, or null. */
    public String payloadSchema() { return payloadSchema; }
    public TaskHandler<P> handler() { return handler; }
    public TaskHooks.CatchError<P> catchError() { return catchError; }
    public TaskHooks.OnStart<P> onStart() { return onStart; }
    public TaskHooks.OnSuccess<P> onSuccess() { return onSuccess; }
    public TaskHooks.OnFailure<P> onFailure() { return onFailure; }

    @Override
    public String toString() {
        return "TaskDefinition[" + id + " queue=" + queue.name() + "]";
    }

    public static final class Builder<P> {
        private final String id;
        private final JavaType payloadType;
        private QueueOptions queue;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Duration maxDuration;
        private String payloadSchema;
        private TaskHandler<P> handler;
        private TaskHooks.CatchError<P> catchError;
        private TaskHooks.OnStart<P> onStart;
        private TaskHooks.OnSuccess<P> onSuccess;
        private TaskHooks.OnFailure<P> onFailure;

        private Builder(String id, JavaType payloadType) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("task id must not be blank");
            }
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")) {
                throw new IllegalArgumentException("task id \"" + id
                        + "\" must be 1-128 letters, digits or . _ : / -, starting with a letter or digit");
            }
            this.id = id;
            this.payloadType = Objects.requireNonNull(payloadType, "payloadType");
        }

        /** The queue; by default each task has its own queue "task/&lt;id&gt;" with limit 100. */
        public Builder<P> queue(QueueOptions value) { queue = value; return this; }
        public Builder<P> retry(RetryPolicy value) { retry = Objects.requireNonNull(value, "retry"); return this; }

        public Builder<P> maxDuration(Duration value) {
            if (value != null && (value.isZero() || value.isNegative())) {
                throw new IllegalArgumentException("maxDuration must be > 0, got " + value);
            }
            maxDuration = value;
            return this;
        }

        /** A JSON Schema (draft 2020-12 unless the schema says otherwise) that payloads must match. */
        public Builder<P> payloadSchema(String jsonSchema) { payloadSchema = jsonSchema; return this; }
        public Builder<P> handler(TaskHandler<P> value) { handler = value; return this; }
        public Builder<P> catchError(TaskHooks.CatchError<P> value) { catchError = value; return this; }
        public Builder<P> onStart(TaskHooks.OnStart<P> value) { onStart = value; return this; }
        public Builder<P> onSuccess(TaskHooks.OnSuccess<P> value) { onSuccess = value; return this; }
        public Builder<P> onFailure(TaskHooks.OnFailure<P> value) { onFailure = value; return this; }

        public TaskDefinition<P> build() {
            return new TaskDefinition<>(this);
        }
    }
}
