package io.taskdeck.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.client.internal.Backoff;
import io.taskdeck.client.internal.EventStream;
import io.taskdeck.client.internal.HttpErrors;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@link TaskServer} over Taskdeck's HTTP API (see {@code client-api/API.md}), on OkHttp.
 *
 * <pre>{@code
 * try (TaskServer server = HttpTaskServer.builder()
 *         .baseUrl("https://tasks.example.com")
 *         .apiKey(System.getenv("TASKDECK_API_KEY"))
 *         .build()) {
 *     server.trigger("process-report", payload, TriggerOptions.NONE);
 * }
 * }</pre>
 *
 * <p>Reads (GET) are retried on connection failures, timeouts, 429, 502, 503 and 504 with exponential
 * backoff; writes (POST) are never retried, so a trigger is never sent twice by this client. Live
 * events reconnect forever with backoff until the subscription is closed.
 */
public final class HttpTaskServer implements TaskServer {
    /** Path prefix of Taskdeck's own endpoints. */
    public static final String API_PREFIX = "/api/taskdeck/v1";

    private static final MediaType JSON = MediaType.get("application/json");
    private static final String USER_AGENT = "taskdeck-client/" + Objects.requireNonNullElse(
            HttpTaskServer.class.getPackage().getImplementationVersion(), "dev");

    private final HttpUrl apiRoot;
    private final String apiKey;
    private final OkHttpClient client;
    private final OkHttpClient streamClient;
    private final ObjectMapper mapper = TaskdeckJson.newMapper();
    private final int maxReadRetries;
    private final Backoff readBackoff;
    private final Backoff reconnectBackoff;
    private final int offlineAfterFailures;
    private final ScheduledExecutorService scheduler;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private final boolean ownsClient;
    private volatile boolean closed;

    private HttpTaskServer(Builder b) {
        this.apiRoot = b.baseUrl.newBuilder().query(null).fragment(null).addPathSegments(API_PREFIX.substring(1)).build();
        this.apiKey = b.apiKey;
        OkHttpClient base = b.client != null ? b.client : new OkHttpClient();
        this.ownsClient = b.client == null;
        this.client = base.newBuilder()
                .connectTimeout(b.connectTimeout)
                .readTimeout(b.readTimeout)
                .writeTimeout(b.writeTimeout)
                .callTimeout(b.callTimeout)
                // OkHttp would silently resend a request whose connection failed, POSTs included; this class
                // decides itself what is safe to retry.
                .retryOnConnectionFailure(false)
                .build();
        this.streamClient = base.newBuilder()
                .connectTimeout(b.connectTimeout)
                .readTimeout(b.streamReadTimeout)
                .writeTimeout(b.writeTimeout)
                .callTimeout(Duration.ZERO)
                .retryOnConnectionFailure(false)
                .build();
        this.maxReadRetries = b.maxReadRetries;
        this.readBackoff = new Backoff(b.retryInitialBackoff, b.retryMaxBackoff);
        this.reconnectBackoff = new Backoff(b.reconnectInitialBackoff, b.reconnectMaxBackoff);
        this.offlineAfterFailures = b.offlineAfterFailures;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "taskdeck-client-reconnect");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    // --- runs -------------------------------------------------------------------------------------

    @Override
    public Page<Run> listRuns(RunFilter filter, PageRequest page) {
        Objects.requireNonNull(page, "page");
        RunFilter f = filter == null ? RunFilter.ALL : filter;
        HttpUrl.Builder url = url("runs").newBuilder();
        for (RunStatus status : f.statuses().stream().sorted().toList()) {
            url.addQueryParameter("status", status.name());
        }
        addIfSet(url, "task", f.taskId());
        addIfSet(url, "queue", f.queue());
        addIfSet(url, "tag", f.tag());
        addIfSet(url, "from", f.createdFrom());
        addIfSet(url, "to", f.createdTo());
        addIfSet(url, "search", f.search());
        addIfSet(url, "fingerprint", f.fingerprint());
        addIfSet(url, "cursor", page.cursor());
        url.addQueryParameter("limit", Integer.toString(page.size()));
        return get(url.build(), type(Page.class, Run.class));
    }

    @Override
    public RunDetail getRun(String runId) {
        return get(url("runs", id(runId, "runId")), type(RunDetail.class));
    }

    @Override
    public TriggerResult trigger(String taskId, JsonNode payload, TriggerOptions options) {
        TriggerRequest request = new TriggerRequest(id(taskId, "taskId"), payload, options);
        return post(url("tasks", taskId, "trigger"), new TriggerBody(request.payload(), request.options()),
                type(TriggerResult.class));
    }

    @Override
    public List<TriggerResult> batchTrigger(List<TriggerRequest> requests) {
        Objects.requireNonNull(requests, "requests");
        if (requests.isEmpty() || requests.size() > 500) {
            throw new IllegalArgumentException("a batch holds 1 to 500 items, got " + requests.size());
        }
        DataBody<TriggerResult> result = post(url("tasks", "batch"), new BatchBody(requests),
                type(DataBody.class, TriggerResult.class));
        return result.data();
    }

    @Override
    public Run cancel(String runId) {
        return post(url("runs", id(runId, "runId"), "cancel"), Map.of(), type(Run.class));
    }

    @Override
    public Run replay(String runId, JsonNode payload) {
        return post(url("runs", id(runId, "runId"), "replay"), new PayloadBody(payload), type(Run.class));
    }

    @Override
    public Run requeue(String runId, RequeueOptions options) {
        RequeueOptions o = options == null ? RequeueOptions.AS_IS : options;
        return post(url("runs", id(runId, "runId"), "requeue"), o, type(Run.class));
    }

    @Override
    public Run discard(String runId) {
        return post(url("runs", id(runId, "runId"), "discard"), Map.of(), type(Run.class));
    }

    @Override
    public Run reschedule(String runId, Instant delayUntil) {
        Objects.requireNonNull(delayUntil, "delayUntil");
        return post(url("runs", id(runId, "runId"), "reschedule"), new RescheduleBody(delayUntil), type(Run.class));
    }

    @Override
    public void resetIdempotencyKey(String taskId, String idempotencyKey) {
        post(url("idempotency-keys", "reset"),
                new IdempotencyResetBody(id(taskId, "taskId"), id(idempotencyKey, "idempotencyKey")), null);
    }

    // --- bulk actions -----------------------------------------------------------------------------

    @Override
    public BulkAction startBulkAction(BulkActionRequest request) {
        Objects.requireNonNull(request, "request");
        return post(url("bulk-actions"), request, type(BulkAction.class));
    }

    @Override
    public BulkAction getBulkAction(String bulkActionId) {
        return get(url("bulk-actions", id(bulkActionId, "bulkActionId")), type(BulkAction.class));
    }

    @Override
    public List<BulkAction> listBulkActions() {
        return this.<DataBody<BulkAction>>get(url("bulk-actions"), type(DataBody.class, BulkAction.class)).data();
    }

    @Override
    public BulkAction abortBulkAction(String bulkActionId) {
        return post(url("bulk-actions", id(bulkActionId, "bulkActionId"), "abort"), Map.of(), type(BulkAction.class));
    }

    // --- queues and tasks -------------------------------------------------------------------------

    @Override
    public List<QueueInfo> listQueues() {
        return this.<DataBody<QueueInfo>>get(url("queues"), type(DataBody.class, QueueInfo.class)).data();
    }

    @Override
    public QueueInfo getQueue(String name) {
        return get(url("queues", id(name, "queue name")), type(QueueInfo.class));
    }

    @Override
    public QueueInfo pauseQueue(String name) {
        return post(url("queues", id(name, "queue name"), "pause"), Map.of(), type(QueueInfo.class));
    }

    @Override
    public QueueInfo resumeQueue(String name) {
        return post(url("queues", id(name, "queue name"), "resume"), Map.of(), type(QueueInfo.class));
    }

    @Override
    public QueueInfo overrideConcurrency(String name, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("concurrency limit must be >= 0, got " + limit);
        }
        return post(url("queues", id(name, "queue name"), "concurrency", "override"),
                Map.of("concurrencyLimit", limit), type(QueueInfo.class));
    }

    @Override
    public QueueInfo resetConcurrency(String name) {
        return post(url("queues", id(name, "queue name"), "concurrency", "reset"), Map.of(), type(QueueInfo.class));
    }

    @Override
    public List<TaskInfo> listTasks() {
        return this.<DataBody<TaskInfo>>get(url("tasks"), type(DataBody.class, TaskInfo.class)).data();
    }

    @Override
    public TaskInfo getTask(String taskId) {
        return get(url("tasks", id(taskId, "taskId")), type(TaskInfo.class));
    }

    // --- dead letters, stats, nodes, identity -----------------------------------------------------

    @Override
    public List<DeadLetterGroup> deadLetterGroups() {
        return this.<DataBody<DeadLetterGroup>>get(url("dead-letters"), type(DataBody.class, DeadLetterGroup.class))
                .data();
    }

    @Override
    public Stats stats() {
        return get(url("stats"), type(Stats.class));
    }

    @Override
    public List<NodeInfo> nodes() {
        return this.<DataBody<NodeInfo>>get(url("nodes"), type(DataBody.class, NodeInfo.class)).data();
    }

    @Override
    public Role role() {
        WhoAmI whoAmI = get(url("whoami"), type(WhoAmI.class));
        if (whoAmI.role() == null) {
            throw new TaskServerException("GET " + API_PREFIX + "/whoami: the response names no role");
        }
        return whoAmI.role();
    }

    // --- live events ------------------------------------------------------------------------------

    @Override
    public Subscription subscribe(long afterSeq, RunEventListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (afterSeq < LIVE) {
            throw new IllegalArgumentException("afterSeq must be >= 0 or TaskServer.LIVE, got " + afterSeq);
        }
        ensureOpen();
        HttpUrl eventsUrl = url("events");
        Consumer<EventStream> forget = streams::remove;
        EventStream stream = new EventStream(streamClient, seq -> {
            Request.Builder request = authorized(new Request.Builder().url(eventsUrl))
                    .header("Accept", "text/event-stream");
            if (seq >= 0) {
                request.header("Last-Event-ID", Long.toString(seq));
            }
            return request.build();
        }, mapper, listener, reconnectBackoff, offlineAfterFailures, scheduler, afterSeq, forget);
        streams.add(stream);
        stream.start();
        return stream;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (EventStream stream : List.copyOf(streams)) {
            stream.close();
        }
        scheduler.shutdownNow();
        if (ownsClient) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "HttpTaskServer[" + apiRoot + "]";
    }

    // --- plumbing ---------------------------------------------------------------------------------

    private <T> T get(HttpUrl url, JavaType type) {
        ensureOpen();
        Request request = authorized(new Request.Builder().url(url)).get().build();
        String what = "GET " + url.encodedPath();
        for (int retry = 0; ; retry++) {
            try (Response response = client.newCall(request).execute()) {
                String body = response.body().string();
                if (response.isSuccessful()) {
                    return parse(what, body, type);
                }
                TaskServerException error = HttpErrors.forStatus(what, response.code(), body, mapper);
                if (!isRetryable(response.code()) || retry >= maxReadRetries) {
                    throw error;
                }
                pause(what, retryDelay(retry + 1, response.header("Retry-After")), error);
            } catch (IOException e) {
                UnavailableException error = HttpErrors.forIo(what, e);
                if (isInterrupt(e) || retry >= maxReadRetries) {
                    throw error;
                }
                pause(what, readBackoff.delay(retry + 1), error);
            }
        }
    }

    private <T> T post(HttpUrl url, Object body, JavaType type) {
        ensureOpen();
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize the request body: " + e.getMessage(), e);
        }
        Request request = authorized(new Request.Builder().url(url)).post(RequestBody.create(json, JSON)).build();
        String what = "POST " + url.encodedPath();
        try (Response response = client.newCall(request).execute()) {
            String text = response.body().string();
            if (!response.isSuccessful()) {
                throw HttpErrors.forStatus(what, response.code(), text, mapper);
            }
            return type == null ? null : parse(what, text, type);
        } catch (IOException e) {
            throw HttpErrors.forIo(what, e);
        }
    }

    private <T> T parse(String what, String body, JavaType type) {
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new TaskServerException(what + ": the server answered with an empty body");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof TaskServerException tse) {
                throw tse;
            }
            throw new TaskServerException(what + ": cannot read the server's answer as " + type.getRawClass()
                    .getSimpleName() + ": " + e.getMessage(), 0, null, e);
        }
    }

    private static boolean isRetryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    private static boolean isInterrupt(IOException e) {
        return e instanceof InterruptedIOException && Thread.currentThread().isInterrupted();
    }

    private Duration retryDelay(int retry, String retryAfter) {
        Duration backoff = readBackoff.delay(retry);
        if (retryAfter != null) {
            try {
                Duration asked = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
                return asked.compareTo(readBackoff.max()) > 0 ? readBackoff.max() : asked.compareTo(backoff) > 0
                        ? asked : backoff;
            } catch (NumberFormatException httpDate) {
                return backoff;
            }
        }
        return backoff;
    }

    private static void pause(String what, Duration delay, TaskServerException cause) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            UnavailableException interrupted = new UnavailableException(what + " failed: interrupted while "
                    + "waiting to retry", e);
            interrupted.addSuppressed(cause);
            throw interrupted;
        }
    }

    private Request.Builder authorized(Request.Builder request) {
        return request.header("Authorization", "Bearer " + apiKey).header("User-Agent", USER_AGENT);
    }

    private HttpUrl url(String... segments) {
        HttpUrl.Builder url = apiRoot.newBuilder();
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return url.build();
    }

    private static void addIfSet(HttpUrl.Builder url, String name, Object value) {
        if (value != null) {
            url.addQueryParameter(name, value.toString());
        }
    }

    private static String id(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    private JavaType type(Class<?> raw, Class<?>... parameters) {
        return parameters.length == 0
                ? mapper.constructType(raw)
                : mapper.getTypeFactory().constructParametricType(raw, parameters);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this HttpTaskServer is closed");
        }
    }

    record DataBody<T>(List<T> data) {
        DataBody {
            data = data == null ? List.of() : List.copyOf(data);
        }
    }

    record TriggerBody(JsonNode payload, TriggerOptions options) {
    }

    record BatchBody(List<TriggerRequest> items) {
    }

    record PayloadBody(JsonNode payload) {
    }

    record RescheduleBody(Instant delayUntil) {
    }

    record IdempotencyResetBody(String taskId, String idempotencyKey) {
    }

    record WhoAmI(Role role, String keyName) {
    }

    /** Settings of an {@link HttpTaskServer}; only the base URL and the API key are required. */
    public static final class Builder {
        private HttpUrl baseUrl;
        private String apiKey;
        private OkHttpClient client;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(60);
        private Duration streamReadTimeout = Duration.ofSeconds(45);
        private int maxReadRetries = 3;
        private Duration retryInitialBackoff = Duration.ofMillis(200);
        private Duration retryMaxBackoff = Duration.ofSeconds(5);
        private Duration reconnectInitialBackoff = Duration.ofMillis(500);
        private Duration reconnectMaxBackoff = Duration.ofSeconds(30);
        private int offlineAfterFailures = 3;

        private Builder() {
        }

        /**
         * The server's root, for example {@code https://tasks.example.com}, or a path behind a reverse proxy
         * ({@code https://example.com/taskdeck}); {@code /api/taskdeck/v1/...} is appended.
         */
        public Builder baseUrl(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            HttpUrl parsed = HttpUrl.parse(baseUrl);
            if (parsed == null) {
                throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
            }
            return baseUrl(parsed);
        }

        public Builder baseUrl(HttpUrl baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /** The secret key, sent as {@code Authorization: Bearer <key>}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** Shares this client's connection pool and dispatcher; closing the server then leaves them alone. */
        public Builder okHttpClient(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Longest silence between two reads of a response. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = positive(timeout, "writeTimeout");
            return this;
        }

        /** Longest time for one whole call (one attempt of a read). */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        /**
         * Longest silence on the event stream before it counts as dead and reconnects; the server sends a
         * keep-alive comment every 15 s, so keep this well above that.
         */
        public Builder streamReadTimeout(Duration timeout) {
            this.streamReadTimeout = positive(timeout, "streamReadTimeout");
            return this;
        }

        /** How often a failed read (GET) is retried; 0 disables retries. */
        public Builder maxReadRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("maxReadRetries must be >= 0, got " + retries);
            }
            this.maxReadRetries = retries;
            return this;
        }

        /** Backoff between retries of a read: doubles from {@code initial} up to {@code max}, with jitter. */
        public Builder retryBackoff(Duration initial, Duration max) {
            this.retryInitialBackoff = positive(initial, "retry initial backoff");
            this.retryMaxBackoff = positive(max, "retry max backoff");
            return this;
        }

        /** Backoff between event stream reconnects: doubles from {@code initial} up to {@code max}, with jitter. */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            this.reconnectInitialBackoff = positive(initial, "reconnect initial backoff");
            this.reconnectMaxBackoff = positive(max, "reconnect max backoff");
            return this;
        }

        /** Consecutive failed reconnects after which a subscription reports {@link ConnectionState#OFFLINE}. */
        public Builder offlineAfterFailures(int failures) {
            if (failures < 1) {
                throw new IllegalArgumentException("offlineAfterFailures must be >= 1, got " + failures);
            }
            this.offlineAfterFailures = failures;
            return this;
        }

        public HttpTaskServer build() {
            if (baseUrl == null) {
                throw new IllegalStateException("baseUrl is required");
            }
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalStateException("apiKey is required");
            }
            if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
                throw new IllegalStateException("retry max backoff is shorter than its initial backoff");
            }
            if (reconnectMaxBackoff.compareTo(reconnectInitialBackoff) < 0) {
                throw new IllegalStateException("reconnect max backoff is shorter than its initial backoff");
            }
            return new HttpTaskServer(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
