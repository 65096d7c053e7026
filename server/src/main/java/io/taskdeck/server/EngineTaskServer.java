package io.taskdeck.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.taskdeck.client.BulkAction;
import io.taskdeck.client.BulkActionKind;
import io.taskdeck.client.BulkActionRequest;
import io.taskdeck.client.ConcurrencyOverride;
import io.taskdeck.client.ConflictException;
import io.taskdeck.client.ConnectionState;
import io.taskdeck.client.DeadLetterGroup;
import io.taskdeck.client.FieldError;
import io.taskdeck.client.LogEntry;
import io.taskdeck.client.NodeInfo;
import io.taskdeck.client.NotFoundException;
import io.taskdeck.client.Page;
import io.taskdeck.client.PageRequest;
import io.taskdeck.client.QueueInfo;
import io.taskdeck.client.RelatedRuns;
import io.taskdeck.client.RequeueOptions;
import io.taskdeck.client.Resync;
import io.taskdeck.client.RetryPolicy;
import io.taskdeck.client.Role;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunDetail;
import io.taskdeck.client.RunEventListener;
import io.taskdeck.client.RunFilter;
import io.taskdeck.client.Stats;
import io.taskdeck.client.Subscription;
import io.taskdeck.client.TaskInfo;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TaskdeckJson;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.client.TriggerRequest;
import io.taskdeck.client.TriggerResult;
import io.taskdeck.client.ValidationException;
import io.taskdeck.engine.BatchItem;
import io.taskdeck.engine.DeadLetterState;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.IllegalRunStateException;
import io.taskdeck.engine.InvalidPayloadException;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.JournalListener;
import io.taskdeck.engine.JournalSubscription;
import io.taskdeck.engine.QueueState;
import io.taskdeck.engine.RunPage;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStats;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.UnknownRunException;
import io.taskdeck.engine.UnknownTaskException;
import io.taskdeck.server.internal.BulkActions;
import io.taskdeck.server.internal.RunCursor;
import io.taskdeck.server.internal.Texts;
import io.taskdeck.server.internal.WireMapping;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine adapter: {@link TaskServer} over an in-process {@link Engine}. The embedded console uses
 * it directly and the HTTP server calls it for every request, so local and remote share one code path.
 *
 * <pre>{@code
 * TaskServer local = EngineTaskServer.over(engine);           // admin, acting as "local"
 * TaskServer asOps = local.as("ops-key", Role.OPERATOR);      // what an HTTP request with that key gets
 * }</pre>
 *
 * The role given here is reported by {@link #role()}; enforcing it is the HTTP layer's job.
 */
public final class EngineTaskServer implements TaskServer {

    /** Most journal events read to compute the per-second rates of {@link #stats()}. */
    private static final int RATE_SCAN_LIMIT = 200_000;
    private static final Duration RATE_WINDOW = Duration.ofSeconds(60);
    private static final int MAX_LOGS = 1000;
    public static final int MAX_BATCH = 500;
    private static final Pattern PROBLEM_PATH = Pattern.compile("^\\$((?:[.\\[][^:\\s]*)?)\\s*:?\\s*(.*)$", Pattern.DOTALL);

    private final Shared shared;
    private final String actor;
    private final Role role;

    private EngineTaskServer(Shared shared, String actor, Role role) {
        this.shared = shared;
        this.actor = actor;
        this.role = role;
    }

    /** An adapter over {@code engine} with the admin role, acting as {@code "local"}. */
    public static EngineTaskServer over(Engine engine) {
        return new EngineTaskServer(new Shared(engine), "local", Role.ADMIN);
    }

    /** The same adapter (same bulk actions, same override records) acting as another caller. */
    public EngineTaskServer as(String actorName, Role actorRole) {
        return new EngineTaskServer(shared, actorName, actorRole);
    }

    public Engine engine() {
        return shared.engine;
    }

    public WireMapping mapping() {
        return shared.wire;
    }

    /** Shared state of every view of one adapter. */
    private static final class Shared {
        final Engine engine;
        final WireMapping wire = new WireMapping(TaskdeckJson.newMapper());
        final BulkActions bulk;
        final Map<String, ConcurrencyOverride> overrides = new ConcurrentHashMap<>();
        final Instant startedAt;

        Shared(Engine engine) {
            this.engine = engine;
            this.bulk = new BulkActions(engine.clock(), () -> "bulk_" + UUID.randomUUID().toString().replace("-", ""));
            this.startedAt = engine.clock().now();
        }
    }

    private WireMapping wire() {
        return shared.wire;
    }

    // --- runs -----------------------------------------------------------------------------------------

    @Override
    public Page<Run> listRuns(RunFilter filter, PageRequest page) {
        RunFilter f = filter == null ? RunFilter.ALL : filter;
        PageRequest p = page == null ? PageRequest.first() : page;
        RunCursor cursor = RunCursor.decode(p.cursor());
        RunQuery.Builder q = RunQuery.builder().limit(p.size())
                .statuses(f.statuses().isEmpty() ? Set.of() : toEngine(f.statuses()))
                .createdFrom(f.createdFrom()).createdTo(f.createdTo()).tag(f.tag());
        if (f.taskId() != null) {
            q.taskId(f.taskId());
        }
        if (f.queue() != null) {
            q.queue(f.queue());
        }
        if (f.fingerprint() != null) {
            q.deadLetter(DeadLetterState.OPEN).fingerprint(f.fingerprint());
        }
        if (f.search() == null) {
            return page(q.cursor(cursor == null ? null : cursor.engineCursor()).build(), 'a');
        }
        // search matches a run id, an idempotency key or a concurrency key: an id is at most one run;
        // otherwise the idempotency-key matches come first, then the concurrency-key ones (mode in the cursor).
        if (cursor == null) {
            Optional<io.taskdeck.engine.Run> byId = engine().run(f.search());
            if (byId.isPresent() && q.build().matches(byId.get())) {
                return new Page<>(List.of(wire().run(byId.get(), false, 0)), null);
            }
        }
        char mode = cursor == null ? 'i' : cursor.mode();
        String engineCursor = cursor == null ? null : cursor.engineCursor();
        if (mode == 'i') {
            Page<Run> byKey = page(q.idempotencyKey(f.search()).cursor(engineCursor).build(), 'i');
            if (!byKey.data().isEmpty() || engineCursor != null) {
                return byKey;
            }
            q.idempotencyKey(null);
            engineCursor = null;
        }
        return page(q.concurrencyKey(f.search()).cursor(engineCursor).build(), 'c');
    }

    private Page<Run> page(RunQuery query, char mode) {
        RunPage result = engine().runs(query);
        List<Run> runs = result.runs().stream().map(r -> wire().run(r, false, 0)).toList();
        return new Page<>(runs, result.nextCursor() == null ? null : new RunCursor(mode, result.nextCursor()).encode());
    }

    private static Set<io.taskdeck.engine.RunStatus> toEngine(Set<io.taskdeck.client.RunStatus> statuses) {
        Set<io.taskdeck.engine.RunStatus> out = EnumSet.noneOf(io.taskdeck.engine.RunStatus.class);
        statuses.forEach(s -> out.add(WireMapping.status(s)));
        return out;
    }

    private io.taskdeck.engine.Run requireRun(String runId) {
        return engine().run(runId).orElseThrow(() -> new NotFoundException("no run with id " + runId));
    }

    private Run fullRun(io.taskdeck.engine.Run run) {
        List<JournalEvent> events = engine().store().runEvents(run.id());
        return wire().run(run, true, events.isEmpty() ? 0 : events.getLast().seq());
    }

    @Override
    public RunDetail getRun(String runId) {
        io.taskdeck.engine.RunDetail d;
        try {
            d = engine().runDetail(runId);
        } catch (UnknownRunException e) {
            throw new NotFoundException("no run with id " + runId);
        }
        List<JournalEvent> events = d.events();
        Run run = wire().run(d.run(), true, events.isEmpty() ? 0 : events.getLast().seq());
        List<LogEntry> logs = d.logs().stream().map(WireMapping::log).toList();
        boolean truncated = logs.size() > MAX_LOGS;
        if (truncated) {
            logs = logs.subList(logs.size() - MAX_LOGS, logs.size());
        }
        Run parent = d.parent() == null ? null : wire().run(d.parent(), false, 0);
        Run root = null;
        if (d.run().rootId() != null) {
            root = d.parent() != null && d.run().rootId().equals(d.parent().id()) ? parent
                    : engine().run(d.run().rootId()).map(r -> wire().run(r, false, 0)).orElse(null);
        }
        List<Run> children = d.children().stream().map(r -> wire().run(r, false, 0)).toList();
        return new RunDetail(run, wire().attempts(d.attempts(), events), logs, truncated,
                events.stream().map(wire()::event).toList(), new RelatedRuns(parent, root, children));
    }

    @Override
    public TriggerResult trigger(String taskId, JsonNode payload, TriggerOptions options) {
        requireTask(taskId, null);
        io.taskdeck.engine.TriggerOptions engineOptions = toEngine(options, "options.");
        try {
            io.taskdeck.engine.TriggerResult r = engine().trigger(taskId, payload == null ? NullNode.getInstance() : payload,
                    engineOptions);
            return new TriggerResult(r.runId(), r.cached());
        } catch (UnknownTaskException e) {
            throw new NotFoundException("no task registered with id " + taskId);
        } catch (InvalidPayloadException e) {
            throw invalidPayload(e, "payload", "");
        } catch (IllegalArgumentException e) {
            throw invalidOption(e, "options.");
        }
    }

    private TaskDefinition<?> requireTask(String taskId, String batchField) {
        Optional<TaskDefinition<?>> def = engine().task(taskId);
        if (def.isEmpty()) {
            if (batchField != null) {
                throw new ValidationException("no task registered with id " + taskId,
                        List.of(new FieldError(batchField, "a registered task id", Texts.abbreviate(taskId))));
            }
            throw new NotFoundException("no task registered with id " + taskId);
        }
        return def.get();
    }

    private io.taskdeck.engine.TriggerOptions toEngine(TriggerOptions o, String prefix) {
        if (o == null) {
            return io.taskdeck.engine.TriggerOptions.NONE;
        }
        List<FieldError> errors = new ArrayList<>();
        if (o.ttl() != null && o.ttl().isZero()) {
            errors.add(new FieldError(prefix + "ttl", "a duration > 0", o.ttl().toString()));
        }
        if (o.idempotencyKey() != null && o.idempotencyKey().isEmpty()) {
            errors.add(new FieldError(prefix + "idempotencyKey", "a non-empty string", "\"\""));
        }
        if (o.concurrencyKey() != null && o.concurrencyKey().isEmpty()) {
            errors.add(new FieldError(prefix + "concurrencyKey", "a non-empty string", "\"\""));
        }
        if (o.queue() != null && o.queue().isBlank()) {
            errors.add(new FieldError(prefix + "queue", "a non-blank queue name", "\"" + o.queue() + "\""));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("invalid trigger options", errors);
        }
        io.taskdeck.engine.TriggerOptions.Builder b = io.taskdeck.engine.TriggerOptions.builder()
                .idempotencyKey(o.idempotencyKey()).idempotencyKeyTTL(o.idempotencyKeyTTL())
                .concurrencyKey(o.concurrencyKey()).delay(o.delay()).ttl(o.ttl()).tags(o.tags()).queue(o.queue());
        if (o.metadata() != null) {
            b.metadata(wire().json().convertValue(o.metadata(),
                    wire().json().getTypeFactory().constructMapType(Map.class, String.class, Object.class)));
        }
        if (o.priority() != null) {
            b.priority(o.priority());
        }
        if (o.maxAttempts() != null) {
            b.maxAttempts(o.maxAttempts());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw invalidOption(e, prefix);
        }
    }

    /** "$.ms: must be integer" → field "payload.ms"; one field error per problem. */
    private static ValidationException invalidPayload(InvalidPayloadException e, String field, String itemPrefix) {
        List<FieldError> errors = new ArrayList<>();
        for (String problem : e.problems()) {
            String p = problem.replaceFirst("^item \\d+: ", "");
            Matcher m = PROBLEM_PATH.matcher(p);
            String path = field;
            String expected = p;
            if (m.matches()) {
                String sub = m.group(1);
                path = field + (sub.startsWith("[") ? sub : sub);
                expected = m.group(2).isBlank() ? p : m.group(2);
            }
            errors.add(new FieldError(itemPrefix + path, expected, null));
        }
        return new ValidationException("payload does not match the task's schema: " + String.join("; ", e.problems()),
                errors);
    }

    private static ValidationException invalidOption(IllegalArgumentException e, String prefix) {
        String message = String.valueOf(e.getMessage()).replaceFirst("^item \\d+: ", "");
        String name = message.split("[ :]", 2)[0];
        return new ValidationException("invalid trigger options: " + message,
                List.of(new FieldError(prefix + name, message, null)));
    }

    @Override
    public List<TriggerResult> batchTrigger(List<TriggerRequest> requests) {
        if (requests == null || requests.isEmpty()) {
            throw new ValidationException("a batch needs at least one item",
                    List.of(new FieldError("items", "1 to " + MAX_BATCH + " items", "0 items")));
        }
        if (requests.size() > MAX_BATCH) {
            throw new ValidationException("a batch holds at most " + MAX_BATCH + " items",
                    List.of(new FieldError("items", "1 to " + MAX_BATCH + " items", requests.size() + " items")));
        }
        List<BatchItem> items = new ArrayList<>(requests.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            TriggerRequest r = requests.get(i);
            String prefix = "items[" + i + "].";
            try {
                requireTask(r.taskId(), prefix + "taskId");
                items.add(new BatchItem(r.taskId(), r.payload() == null ? NullNode.getInstance() : r.payload(),
                        toEngine(r.options(), prefix + "options.")));
            } catch (ValidationException e) {
                errors.addAll(e.fieldErrors());
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException("invalid batch items; nothing was triggered", errors);
        }
        try {
            return engine().batchTrigger(items).runs().stream().map(r -> new TriggerResult(r.runId(), r.cached())).toList();
        } catch (InvalidPayloadException e) {
            int item = itemIndex(e.problems().isEmpty() ? "" : e.problems().getFirst());
            throw invalidPayload(e, "payload", item < 0 ? "items." : "items[" + item + "].");
        } catch (IllegalArgumentException e) {
            int item = itemIndex(String.valueOf(e.getMessage()));
            throw invalidOption(e, item < 0 ? "items." : "items[" + item + "].options.");
        }
    }

    private static int itemIndex(String message) {
        Matcher m = Pattern.compile("^item (\\d+): ").matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Override
    public Run cancel(String runId) {
        io.taskdeck.engine.Run run = requireRun(runId);
        if (run.isFinal()) {
            throw new ConflictException("run " + runId + " is already " + run.status() + " and cannot be canceled");
        }
        io.taskdeck.engine.Run after = engine().cancel(runId);
        if (after.status() != io.taskdeck.engine.RunStatus.CANCELED) {
            throw new ConflictException("run " + runId + " finished as " + after.status() + " before it could be canceled");
        }
        return fullRun(after);
    }

    @Override
    public Run replay(String runId, JsonNode payload) {
        io.taskdeck.engine.Run run = requireRun(runId);
        requireTask(run.taskId(), null);
        io.taskdeck.engine.TriggerOptions.Builder options = io.taskdeck.engine.TriggerOptions.builder()
                .tags(run.tags()).concurrencyKey(run.concurrencyKey()).priority(run.priority()).queue(run.queue())
                .ttl(WireMapping.ttlOf(run));
        int declared = engine().task(run.taskId()).map(t -> t.retry().maxAttempts()).orElse(run.maxAttempts());
        if (run.maxAttempts() < declared) {
            options.maxAttempts(run.maxAttempts());  // the trigger lowered it; a requeue only ever raises it
        }
        if (run.metadata() != null) {
            JsonNode meta = wire().parse(run.metadata());
            if (meta != null && meta.isObject()) {
                options.metadata(wire().json().convertValue(meta,
                        wire().json().getTypeFactory().constructMapType(Map.class, String.class, Object.class)));
            }
        }
        try {
            io.taskdeck.engine.TriggerResult r = payload == null
                    ? engine().triggerJson(run.taskId(), run.payload(), options.build())
                    : engine().trigger(run.taskId(), payload, options.build());
            return fullRun(requireRun(r.runId()));
        } catch (InvalidPayloadException e) {
            throw invalidPayload(e, "payload", "");
        }
    }

    @Override
    public Run requeue(String runId, RequeueOptions options) {
        io.taskdeck.engine.Run run = requireRun(runId);
        if (run.deadLetter() != DeadLetterState.OPEN) {
            throw new ConflictException("run " + runId + " is not an unresolved dead letter (it is " + run.status()
                    + (run.deadLetter() == DeadLetterState.NONE ? "" : ", " + run.deadLetter().name().toLowerCase()) + ")");
        }
        RequeueOptions o = options == null ? RequeueOptions.AS_IS : options;
        if (o.queue() != null && o.queue().isBlank()) {
            throw new ValidationException("queue must not be blank",
                    List.of(new FieldError("queue", "a non-blank queue name", "\"" + o.queue() + "\"")));
        }
        try {
            io.taskdeck.engine.Run after = engine().requeue(runId, new io.taskdeck.engine.RequeueOptions(
                    o.payload() == null ? null : o.payload().toString(), o.queue(), null));
            return fullRun(after);
        } catch (IllegalRunStateException e) {
            throw new ConflictException(e.getMessage());
        } catch (InvalidPayloadException e) {
            throw invalidPayload(e, "payload", "");
        }
    }

    @Override
    public Run discard(String runId) {
        requireRun(runId);
        try {
            return fullRun(engine().discard(runId));
        } catch (IllegalRunStateException e) {
            throw new ConflictException(e.getMessage());
        }
    }

    @Override
    public Run reschedule(String runId, Instant delayUntil) {
        if (delayUntil == null) {
            throw new ValidationException("delayUntil is required",
                    List.of(new FieldError("delayUntil", "an ISO-8601 instant", null)));
        }
        requireRun(runId);
        try {
            return fullRun(engine().reschedule(runId, delayUntil));
        } catch (IllegalRunStateException e) {
            throw new ConflictException(e.getMessage());
        }
    }

    @Override
    public void resetIdempotencyKey(String taskId, String idempotencyKey) {
        requireTask(taskId, null);
        if (idempotencyKey == null || idempotencyKey.isEmpty()) {
            throw new ValidationException("idempotencyKey is required",
                    List.of(new FieldError("idempotencyKey", "a non-empty string", null)));
        }
        engine().resetIdempotencyKey(taskId, idempotencyKey);
    }

    // --- bulk actions -------------------------------------------------------------------------------------

    @Override
    public BulkAction startBulkAction(BulkActionRequest request) {
        List<String> ids = request.runIds() != null ? request.runIds() : select(request.filter());
        RequeueOptions requeueOptions = request.requeue();
        EngineTaskServer self = this;
        java.util.function.Consumer<String> action = switch (request.kind()) {
            case REQUEUE -> id -> self.requeue(id, requeueOptions);
            case REPLAY -> self::replay;
            case CANCEL -> self::cancel;
            case DISCARD -> self::discard;
        };
        return shared.bulk.start(request.kind(), ids, request.ratePerSecond(), action);
    }

    /** Every run matching the filter now, oldest first. */
    private List<String> select(RunFilter filter) {
        List<String> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        PageRequest page = PageRequest.first(PageRequest.MAX_SIZE);
        while (true) {
            Page<Run> result = listRuns(filter, page);
            result.data().forEach(r -> {
                if (seen.add(r.id())) {
                    ids.add(r.id());
                }
            });
            if (!result.hasMore()) {
                break;
            }
            page = page.after(result.nextCursor());
        }
        return ids.reversed();
    }

    @Override
    public BulkAction getBulkAction(String bulkActionId) {
        return shared.bulk.get(bulkActionId);
    }

    @Override
    public List<BulkAction> listBulkActions() {
        return shared.bulk.list();
    }

    @Override
    public BulkAction abortBulkAction(String bulkActionId) {
        return shared.bulk.abort(bulkActionId);
    }

    /** Aborts running bulk actions (at shutdown). */
    public void abortBulkActions() {
        shared.bulk.abortAll();
    }

    // --- queues and tasks -----------------------------------------------------------------------------

    @Override
    public List<QueueInfo> listQueues() {
        return engine().queues().list().stream().sorted(java.util.Comparator.comparing(QueueState::name))
                .map(this::queueInfo).toList();
    }

    @Override
    public QueueInfo getQueue(String name) {
        return queueInfo(requireQueue(name));
    }

    private QueueState requireQueue(String name) {
        return engine().queues().get(name).orElseThrow(() -> new NotFoundException("no queue named " + name));
    }

    private QueueInfo queueInfo(QueueState q) {
        Instant now = engine().clock().now();
        RunStats stats = engine().stats().queue(q.name(), RATE_WINDOW);
        long delayed = stats.counts().getOrDefault(io.taskdeck.engine.RunStatus.DELAYED, 0L);
        ConcurrencyOverride override = null;
        if (q.concurrencyLimitOverride() != null) {
            ConcurrencyOverride known = shared.overrides.get(q.name());
            override = known != null && known.limit() == q.concurrencyLimitOverride() ? known
                    : new ConcurrencyOverride(q.concurrencyLimitOverride(), "unknown", null);
        }
        RunPage oldest = engine().runs(RunQuery.builder().status(io.taskdeck.engine.RunStatus.QUEUED).queue(q.name())
                .oldestFirst(true).limit(1).build());
        Duration oldestAge = oldest.runs().isEmpty() ? null
                : nonNegative(Duration.between(dueAt(oldest.runs().getFirst()), now));
        Duration waitP95 = stats.waitMs().count() == 0 ? null : Duration.ofMillis(stats.waitMs().p95());
        return new QueueInfo(q.name(), q.effectiveLimit(), q.concurrencyLimit(), override, q.executing(), q.queued(),
                delayed, q.paused(), stats.attemptsPerSecond(), waitP95, oldestAge);
    }

    private static Instant dueAt(io.taskdeck.engine.Run run) {
        return run.runAt() != null && run.runAt().isAfter(run.createdAt()) ? run.runAt() : run.createdAt();
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    @Override
    public QueueInfo pauseQueue(String name) {
        requireQueue(name);
        return queueInfo(queueUpdate(() -> engine().queues().pause(name), name));
    }

    @Override
    public QueueInfo resumeQueue(String name) {
        requireQueue(name);
        return queueInfo(queueUpdate(() -> engine().queues().resume(name), name));
    }

    @Override
    public QueueInfo overrideConcurrency(String name, int limit) {
        if (limit < 0) {
            throw new ValidationException("concurrencyLimit must be >= 0",
                    List.of(new FieldError("concurrencyLimit", "an integer >= 0", Integer.toString(limit))));
        }
        requireQueue(name);
        QueueState state = queueUpdate(() -> engine().queues().overrideConcurrencyLimit(name, limit), name);
        shared.overrides.put(name, new ConcurrencyOverride(limit, actor, engine().clock().now()));
        return queueInfo(state);
    }

    @Override
    public QueueInfo resetConcurrency(String name) {
        requireQueue(name);
        QueueState state = queueUpdate(() -> engine().queues().resetConcurrencyLimit(name), name);
        shared.overrides.remove(name);
        return queueInfo(state);
    }

    private static QueueState queueUpdate(java.util.function.Supplier<QueueState> update, String name) {
        try {
            return update.get();
        } catch (NoSuchElementException e) {
            throw new NotFoundException("no queue named " + name);
        }
    }

    @Override
    public List<TaskInfo> listTasks() {
        return engine().tasks().stream().map(this::taskInfo).toList();
    }

    @Override
    public TaskInfo getTask(String taskId) {
        return taskInfo(requireTask(taskId, null));
    }

    private TaskInfo taskInfo(TaskDefinition<?> def) {
        io.taskdeck.engine.RetryPolicy r = def.retry();
        JsonNode schema = def.payloadSchema() == null ? null : wire().parse(def.payloadSchema());
        return new TaskInfo(def.id(), def.queue().name(), def.queue().concurrencyLimit(), def.queue().concurrencyKeyLimit(),
                def.maxDuration(), new RetryPolicy(r.maxAttempts(), r.factor(), r.minTimeoutInMs(), r.maxTimeoutInMs(),
                r.randomize()), schema, WireMapping.counts(engine().store().countByStatus(null, def.id())));
    }

    // --- dead letters, stats, nodes, identity -------------------------------------------------------------

    @Override
    public List<DeadLetterGroup> deadLetterGroups() {
        return engine().deadLetters().groups().stream().map(g -> {
            io.taskdeck.engine.RunError sample = engine().run(g.sampleRunId()).map(io.taskdeck.engine.Run::error).orElse(null);
            io.taskdeck.client.RunError error = sample != null ? WireMapping.error(sample)
                    : new io.taskdeck.client.RunError(g.sampleMessage() == null ? "" : g.sampleMessage(), g.errorType(), null);
            return new DeadLetterGroup(g.fingerprint(), g.taskId(), g.count(), g.firstSeen(), g.lastSeen(), error,
                    g.sampleRunId());
        }).toList();
    }

    @Override
    public Stats stats() {
        Instant now = engine().clock().now();
        Map<io.taskdeck.client.RunStatus, Long> counts = WireMapping.counts(engine().store().countByStatus(null, null));
        long lastSeq = engine().journal().lastSeq();
        long from = Math.max(engine().store().seqAt(now.minus(RATE_WINDOW)) - 1, Math.max(0, lastSeq - RATE_SCAN_LIMIT));
        long triggered = 0;
        long completed = 0;
        long failed = 0;
        long cursor = Math.max(from, engine().journal().oldestSeq() - 1);
        while (cursor < lastSeq) {
            List<JournalEvent> events = engine().store().readJournal(cursor, 5_000);
            if (events.isEmpty()) {
                break;
            }
            for (JournalEvent e : events) {
                if (e.kind() == JournalEvent.Kind.RUN_TRIGGERED) {
                    triggered++;
                } else if (e.kind() == JournalEvent.Kind.RUN_STATUS_CHANGED && e.to() != null) {
                    if (e.to() == io.taskdeck.engine.RunStatus.COMPLETED) {
                        completed++;
                    } else if (e.to().isDeadLetter()) {
                        failed++;
                    }
                }
            }
            cursor = events.getLast().seq();
        }
        double seconds = RATE_WINDOW.toSeconds();
        long deadLetters = engine().deadLetters().groups().stream().mapToLong(io.taskdeck.engine.DeadLetterGroup::count).sum();
        return new Stats(now, lastSeq, counts, counts.getOrDefault(io.taskdeck.client.RunStatus.QUEUED, 0L),
                counts.getOrDefault(io.taskdeck.client.RunStatus.EXECUTING, 0L), triggered / seconds,
                completed / seconds, failed / seconds, deadLetters);
    }

    /**
     * The nodes sharing the engine's store that are running or lost (a cleanly stopped node is
     * gone); a store without a node registry has one node, this engine.
     */
    @Override
    public List<NodeInfo> nodes() {
        List<io.taskdeck.engine.store.NodeInfo> registry = engine().store().nodes();
        if (registry.isEmpty()) {
            return List.of(new NodeInfo(engine().nodeId(), shared.startedAt, engine().clock().now(), engine().activeRuns()));
        }
        return registry.stream().filter(n -> n.state() != io.taskdeck.engine.store.NodeInfo.State.STOPPED)
                .map(n -> new NodeInfo(n.nodeId(), n.startedAt(), n.lastHeartbeat(), n.runningRuns())).toList();
    }

    @Override
    public Role role() {
        return role;
    }

    /** The name this view acts as (an API key's name, or "local"). */
    public String actor() {
        return actor;
    }

    // --- live events ------------------------------------------------------------------------------------------

    @Override
    public Subscription subscribe(long afterSeq, RunEventListener listener) {
        return new JournalBridge(afterSeq, listener).start();
    }

    /** Feeds journal events to a listener, turning "trimmed" into a resync and resubscribing from the head. */
    private final class JournalBridge implements Subscription, JournalListener {
        private final RunEventListener listener;
        private final long requested;
        private volatile long last;
        private volatile boolean closed;
        private volatile JournalSubscription current;

        JournalBridge(long afterSeq, RunEventListener listener) {
            this.listener = listener;
            this.requested = afterSeq;
        }

        JournalBridge start() {
            long head = engine().journal().lastSeq();
            long oldest = engine().journal().oldestSeq();
            long from = requested == LIVE || requested < 0 ? head : requested;
            if (from + 1 < oldest && head > from) {
                listener.onResync(new Resync(from, oldest, head));
                from = head;
            }
            last = from;
            listener.onConnectionState(ConnectionState.CONNECTED);
            current = engine().journal().subscribe(from, this);
            return this;
        }

        @Override
        public synchronized void onEvents(List<JournalEvent> events) {
            for (JournalEvent e : events) {
                if (closed) {
                    return;
                }
                if (e.seq() <= last) {
                    continue;
                }
                listener.onEvent(wire().event(e));
                last = e.seq();
            }
        }

        @Override
        public void onResyncRequired(long oldestSeq) {
            if (closed) {
                return;
            }
            long head = engine().journal().lastSeq();
            synchronized (this) {
                listener.onResync(new Resync(last, oldestSeq, head));
                last = head;
            }
            current = engine().journal().subscribe(head, this);
        }

        @Override
        public long lastSeq() {
            return last;
        }

        @Override
        public ConnectionState state() {
            return closed ? ConnectionState.OFFLINE : ConnectionState.CONNECTED;
        }

        @Override
        public void close() {
            closed = true;
            JournalSubscription s = current;
            if (s != null) {
                s.close();
            }
            synchronized (this) {
                // waits for a delivery in progress, so that no listener call starts after close returns
            }
        }
    }

    @Override
    public void close() {
        // The engine belongs to whoever built it; views of this adapter hold nothing else.
    }
}
