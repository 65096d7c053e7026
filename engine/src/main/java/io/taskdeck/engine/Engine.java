package io.taskdeck.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.taskdeck.engine.internal.ChildTriggers;
import io.taskdeck.engine.internal.JsonBufferPool;
import io.taskdeck.engine.internal.RegisteredTask;
import io.taskdeck.engine.internal.RunIds;
import io.taskdeck.engine.internal.Worker;
import io.taskdeck.engine.store.InsertResult;
import io.taskdeck.engine.store.RunStore;
import io.taskdeck.engine.store.Transition;
import io.taskdeck.engine.store.TransitionResult;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The queue engine: register tasks, start it, trigger runs, and watch them.
 *
 * <pre>{@code
 * Engine engine = Engine.builder().store(new MemoryRunStore()).nodeId("local").build();
 * engine.register(TaskDefinition.builder("hello", Greeting.class)
 *         .handler((greeting, ctx) -> "hello " + greeting.name()).build());
 * engine.start();
 * TriggerResult run = engine.trigger("hello", new Greeting("Ada"));
 * }</pre>
 *
 * Triggering works whether or not the engine is started: {@code trigger} returns once the run is
 * recorded in the store. A started engine claims and runs the work of the tasks it registered.
 */
public final class Engine implements AutoCloseable {

    /** How long an idempotency key stays live when the trigger gives no TTL (Trigger.dev's default). */
    public static final Duration DEFAULT_IDEMPOTENCY_KEY_TTL = Duration.ofDays(30);

    private final RunStore store;
    private final EngineClock clock;
    private final String nodeId;
    private final ObjectMapper mapper;
    private final RunIds ids = new RunIds();
    private final ConcurrentHashMap<String, RegisteredTask> tasks = new ConcurrentHashMap<>();
    private volatile Set<String> taskIds = Set.of();
    private final Set<String> knownQueues = ConcurrentHashMap.newKeySet();
    private final Worker worker;
    private final Queues queues;
    private final Journal journal;
    private final Stats stats;
    private final DeadLetters deadLetters;

    private Engine(Builder b) {
        this.store = Objects.requireNonNull(b.store, "an engine needs a store: Engine.builder().store(...)");
        this.clock = b.clock;
        this.nodeId = b.nodeId;
        this.mapper = b.mapper != null ? b.mapper : defaultMapper();
        this.worker = new Worker(store, clock, nodeId, b.maxConcurrentRuns, b.leaseDuration, mapper, b.random,
                tasks, () -> taskIds, new ChildTriggers() {
                    @Override
                    public TriggerResult trigger(String taskId, Object payload, TriggerOptions options, Run parent) {
                        return triggerOne(taskId, payload, false, options, parent);
                    }

                    @Override
                    public BatchResult batchTrigger(List<BatchItem> items, Run parent) {
                        return batch(items, parent);
                    }
                });
        this.queues = new Queues(store, clock, worker::wakeFetcher);
        this.journal = new Journal(store);
        this.stats = new Stats(store, clock);
        this.deadLetters = new DeadLetters(store, this, prefix -> ids.next(prefix, clock.millis()));
    }

    /** The mapper an engine uses unless given one: java.time support, unknown fields ignored. */
    public static ObjectMapper defaultMapper() {
        // Handlers run on virtual threads, each new: their buffers are pooled across threads;
        // platform threads (producers) keep theirs in a thread-local.
        JsonFactory factory = JsonFactory.builder().recyclerPool(new JsonBufferPool()).build();
        return new ObjectMapper(factory)
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ tasks and lifecycle

    /** Registers a task (replacing one with the same id) and its queue. */
    public Engine register(TaskDefinition<?> definition) {
        RegisteredTask task = new RegisteredTask(definition, mapper);
        QueueOptions q = definition.queue();
        store.ensureQueue(q.name(), q.concurrencyLimit(), q.concurrencyKeyLimit(), clock.now());
        knownQueues.add(q.name());
        tasks.put(definition.id(), task);
        taskIds = Set.copyOf(tasks.keySet());
        worker.wakeFetcher();
        return this;
    }

    public List<TaskDefinition<?>> tasks() {
        List<TaskDefinition<?>> out = new ArrayList<>();
        tasks.values().forEach(t -> out.add(t.definition()));
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out;
    }

    public Optional<TaskDefinition<?>> task(String taskId) {
        RegisteredTask t = tasks.get(taskId);
        return t == null ? Optional.empty() : Optional.of(t.definition());
    }

    /** Starts claiming and running work. */
    public Engine start() {
        worker.start();
        return this;
    }

    public boolean isRunning() {
        return worker.isRunning();
    }

    /** Stops claiming, waits up to {@code grace} for running attempts, interrupts the rest. */
    public void stop(Duration grace) {
        worker.stop(grace);
    }

    /** Stops with a 10 second grace; does not close the store (its owner does). */
    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    public String nodeId() { return nodeId; }
    public EngineClock clock() { return clock; }
    public RunStore store() { return store; }
    public ObjectMapper mapper() { return mapper; }
    public Queues queues() { return queues; }
    public Journal journal() { return journal; }
    public Stats stats() { return stats; }
    public DeadLetters deadLetters() { return deadLetters; }

    /** Attempts running on this node now. */
    public int activeRuns() {
        return worker.activeCount();
    }

    // ------------------------------------------------------------------ triggering

    /** Triggers a run with a payload object (any JSON-serializable value, or a JsonNode). */
    public TriggerResult trigger(String taskId, Object payload) {
        return triggerOne(taskId, payload, false, TriggerOptions.NONE, null);
    }

    public TriggerResult trigger(String taskId, Object payload, TriggerOptions options) {
        return triggerOne(taskId, payload, false, options, null);
    }

    /** Triggers a run with a payload given as JSON text, as the HTTP server receives it. */
    public TriggerResult triggerJson(String taskId, String payloadJson, TriggerOptions options) {
        return triggerOne(taskId, payloadJson, true, options, null);
    }

    /** Triggers every item, or none if any is invalid (then nothing is stored). */
    public BatchResult batchTrigger(List<BatchItem> items) {
        return batch(items, null);
    }

    private TriggerResult triggerOne(String taskId, Object payload, boolean raw, TriggerOptions options, Run parent) {
        Instant now = clock.now();
        Run run = prepare(taskId, payload, raw, options == null ? TriggerOptions.NONE : options, parent, null, now);
        InsertResult result = store.insert(List.of(run), now).getFirst();
        afterInsert(List.of(result));
        return new TriggerResult(result.run().id(), result.cached());
    }

    private BatchResult batch(List<BatchItem> items, Run parent) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one item");
        }
        Instant now = clock.now();
        String batchId = ids.next("batch_", now.toEpochMilli());
        List<Run> runs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            BatchItem item = items.get(i);
            int index = i;
            try {
                runs.add(prepare(item.taskId(), item.payload(), false, item.options(), parent, batchId, now));
            } catch (InvalidPayloadException e) {
                throw new InvalidPayloadException(e.taskId(), e.problems().stream().map(p -> "item " + index + ": " + p).toList());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("item " + i + ": " + e.getMessage(), e);
            }
        }
        List<InsertResult> results = store.insert(runs, now);
        afterInsert(results);
        return new BatchResult(batchId, results.stream().map(r -> new TriggerResult(r.run().id(), r.cached())).toList());
    }

    private void afterInsert(List<InsertResult> results) {
        for (InsertResult r : results) {
            if (!r.cached() && (r.run().status() == RunStatus.DELAYED || r.run().expiresAt() != null)) {
                worker.wakeScheduler();
                return;
            }
        }
    }

    private RegisteredTask requireTask(String taskId) {
        RegisteredTask task = tasks.get(taskId);
        if (task == null) {
            throw new UnknownTaskException(taskId);
        }
        return task;
    }

    private Run prepare(String taskId, Object payload, boolean raw, TriggerOptions o, Run parent, String batchId, Instant now) {
        RegisteredTask task = requireTask(taskId);
        String json = payloadJson(task, payload, raw);
        long nowMs = now.toEpochMilli();
        Instant runAt = o.delayUntil() != null ? o.delayUntil()
                : o.delay() != null && !o.delay().isZero() ? now.plus(o.delay()) : null;
        boolean delayed = runAt != null && runAt.isAfter(now);
        String queue = o.queue() != null ? o.queue() : task.definition().queue().name();
        ensureQueue(queue, now);
        String metadata = null;
        if (o.metadata() != null) {
            try {
                metadata = mapper.writeValueAsString(o.metadata());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("metadata is not JSON-serializable: " + e.getOriginalMessage(), e);
            }
        }
        return Run.builder(ids.next("run_", nowMs), taskId, queue, now)
                .status(delayed ? RunStatus.DELAYED : RunStatus.QUEUED)
                .payload(json)
                .metadata(metadata)
                .tags(o.tags())
                .idempotencyKey(o.idempotencyKey())
                .idempotencyKeyExpiresAt(o.idempotencyKey() == null ? null
                        : now.plus(o.idempotencyKeyTTL() != null ? o.idempotencyKeyTTL() : DEFAULT_IDEMPOTENCY_KEY_TTL))
                .concurrencyKey(o.concurrencyKey())
                .priority(o.priority())
                .runAt(runAt)
                .expiresAt(o.ttl() == null ? null : (delayed ? runAt : now).plus(o.ttl()))
                .maxAttempts(o.maxAttempts() != null ? o.maxAttempts() : task.definition().retry().maxAttempts())
                .parentId(parent == null ? null : parent.id())
                .rootId(parent == null ? null : parent.rootId() != null ? parent.rootId() : parent.id())
                .batchId(batchId)
                .build();
    }

    private String payloadJson(RegisteredTask task, Object payload, boolean raw) {
        TaskDefinition<Object> def = task.definition();
        JsonNode tree;
        if (raw) {
            String text = (String) payload;
            if (text == null || text.isBlank()) {
                tree = NullNode.getInstance();
            } else {
                try {
                    tree = mapper.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new InvalidPayloadException(def.id(), List.of("$: not valid JSON: " + e.getOriginalMessage()));
                }
            }
            task.validate(tree, false, mapper);
            return tree.toString();
        }
        boolean typed = payload != null && !(payload instanceof JsonNode) && def.payloadType().getRawClass().isInstance(payload);
        if (def.payloadSchema() == null && (typed || task.acceptsAnyJson())) {
            // Nothing to check: serialize straight to text, no tree in between.
            if (payload instanceof JsonNode node) {
                return node.toString();
            }
            try {
                return task.writePayload(payload);
            } catch (JsonProcessingException e) {
                throw new InvalidPayloadException(def.id(), List.of("$: payload does not serialize to JSON: " + e.getOriginalMessage()));
            }
        }
        try {
            tree = payload == null ? NullNode.getInstance() : mapper.valueToTree(payload);
        } catch (IllegalArgumentException e) {
            throw new InvalidPayloadException(def.id(), List.of("$: payload does not serialize to JSON: " + e.getMessage()));
        }
        task.validate(tree, typed, mapper);
        return tree.toString();
    }

    private void ensureQueue(String name, Instant now) {
        if (knownQueues.contains(name)) {
            return;
        }
        if (store.queue(name).isEmpty()) {
            store.ensureQueue(name, QueueOptions.DEFAULT_CONCURRENCY_LIMIT, 1, now);
        }
        knownQueues.add(name);
    }

    /** Forgets a live idempotency key, so the next trigger with it makes a new run. */
    public boolean resetIdempotencyKey(String taskId, String key) {
        return store.resetIdempotencyKey(taskId, key);
    }

    // ------------------------------------------------------------------ run actions

    private Run require(String runId) {
        return store.find(runId).orElseThrow(() -> new UnknownRunException(runId));
    }

    /**
     * Cancels a run and its unfinished children: pending runs at once, an executing run by
     * flagging its context and interrupting its thread. A finished run is returned unchanged.
     */
    public Run cancel(String runId) {
        Run run = require(runId);
        Run current = run;
        if (!run.isFinal()) {
            TransitionResult result = store.apply(List.of(Transition.of(runId, RunStatus.CANCELED,
                    RunStatus.DELAYED, RunStatus.QUEUED, RunStatus.EXECUTING, RunStatus.WAITING)
                    .closeAttempt(AttemptOutcome.CANCELED).detail("canceled").build()), clock.now()).getFirst();
            current = result.run() == null ? run : result.run();
            if (result.applied()) {
                worker.cancelled(runId);
                worker.publishFinal(current);
            }
        }
        for (Run child : store.children(runId)) {
            if (!child.isFinal()) {
                cancel(child.id());
            }
        }
        return current;
    }

    /** A new run of the same task with the same payload, tags, key, priority and queue. */
    public TriggerResult replay(String runId) {
        Run run = require(runId);
        TriggerOptions options = TriggerOptions.builder()
                .tags(run.tags())
                .concurrencyKey(run.concurrencyKey())
                .priority(run.priority())
                .queue(run.queue())
                .build();
        return triggerOne(run.taskId(), run.payload(), true, options, null);
    }

    public Run requeue(String runId) {
        return requeue(runId, RequeueOptions.NONE);
    }

    /**
     * Puts a dead letter back in its queue (or another) with a fresh attempt budget, keeping its
     * attempts, logs and events; optionally with an edited payload, validated like a trigger's.
     */
    public Run requeue(String runId, RequeueOptions options) {
        Run run = require(runId);
        if (!run.status().isDeadLetter()) {
            throw new IllegalRunStateException(runId, run.status(), "requeue");
        }
        RegisteredTask task = tasks.get(run.taskId());
        Instant now = clock.now();
        Transition.Builder t = Transition.of(runId, RunStatus.QUEUED, run.status()).runAt(now).detail("requeued");
        if (options.payload() != null) {
            t.payload(task != null ? payloadJson(task, options.payload(), true) : options.payload());
        }
        if (options.queue() != null) {
            ensureQueue(options.queue(), now);
            t.queue(options.queue());
        }
        int budget = options.maxAttempts() != null ? options.maxAttempts()
                : task != null ? task.definition().retry().maxAttempts() : 1;
        t.maxAttempts(run.attempts() + budget);
        TransitionResult result = store.apply(List.of(t.build()), now).getFirst();
        if (!result.applied()) {
            throw new IllegalRunStateException(runId, result.run() == null ? run.status() : result.run().status(), "requeue");
        }
        return result.run();
    }

    /** Resolves a dead letter without running it again. */
    public Run discard(String runId) {
        Run run = require(runId);
        if (run.deadLetter() != DeadLetterState.OPEN) {
            throw new IllegalRunStateException(runId, run.status(), "discard (it is not an open dead letter)");
        }
        TransitionResult result = store.apply(List.of(Transition.of(runId, null, run.status())
                .deadLetter(DeadLetterState.DISCARDED).detail("discarded").build()), clock.now()).getFirst();
        if (!result.applied()) {
            throw new IllegalRunStateException(runId, result.run().status(), "discard");
        }
        return result.run();
    }

    /** Moves a DELAYED run's start to another instant. */
    public Run reschedule(String runId, Instant at) {
        Run run = require(runId);
        if (run.status() != RunStatus.DELAYED) {
            throw new IllegalRunStateException(runId, run.status(), "reschedule (only DELAYED runs can be)");
        }
        TransitionResult result = store.apply(List.of(Transition.of(runId, RunStatus.DELAYED, RunStatus.DELAYED)
                .runAt(at).detail("rescheduled to " + at).build()), clock.now()).getFirst();
        if (!result.applied()) {
            throw new IllegalRunStateException(runId, result.run().status(), "reschedule");
        }
        worker.wakeScheduler();
        return result.run();
    }

    public Run reschedule(String runId, Duration delay) {
        return reschedule(runId, clock.now().plus(delay));
    }

    // ------------------------------------------------------------------ reads

    public Optional<Run> run(String runId) {
        return store.find(runId);
    }

    public RunPage runs(RunQuery query) {
        return store.list(query);
    }

    public RunDetail runDetail(String runId) {
        Run run = require(runId);
        Run parent = run.parentId() == null ? null : store.find(run.parentId()).orElse(null);
        return new RunDetail(run, store.attempts(runId), store.logs(runId), store.runEvents(runId), parent,
                store.children(runId));
    }

    // ------------------------------------------------------------------ builder

    public static final class Builder {
        private RunStore store;
        private EngineClock clock = EngineClock.system();
        private String nodeId = "local";
        private int maxConcurrentRuns = 1_000;
        private Duration leaseDuration = Duration.ofSeconds(30);
        private ObjectMapper mapper;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {
        }

        public Builder store(RunStore value) { store = value; return this; }
        public Builder clock(EngineClock value) { clock = Objects.requireNonNull(value, "clock"); return this; }

        public Builder nodeId(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("nodeId must not be blank");
            }
            nodeId = value;
            return this;
        }

        /** Attempts this node runs at once at most, across queues (default 1000). */
        public Builder maxConcurrentRuns(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxConcurrentRuns must be >= 1, got " + value);
            }
            maxConcurrentRuns = value;
            return this;
        }

        /** How long a claim holds without a heartbeat (default 30 s; heartbeats every third of it). */
        public Builder leaseDuration(Duration value) {
            if (value == null || value.toMillis() < 3) {
                throw new IllegalArgumentException("leaseDuration must be at least 3 ms, got " + value);
            }
            leaseDuration = value;
            return this;
        }

        public Builder objectMapper(ObjectMapper value) { mapper = value; return this; }

        /** The source of retry jitter, uniform in [0, 1) (tests pin it). */
        public Builder random(DoubleSupplier value) { random = Objects.requireNonNull(value, "random"); return this; }

        public Engine build() {
            return new Engine(this);
        }
    }
}
