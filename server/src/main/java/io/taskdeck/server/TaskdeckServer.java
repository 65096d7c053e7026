package io.taskdeck.server;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.taskdeck.client.ConflictException;
import io.taskdeck.client.ErrorBody;
import io.taskdeck.client.ForbiddenException;
import io.taskdeck.client.NotFoundException;
import io.taskdeck.client.TaskServerException;
import io.taskdeck.client.UnauthorizedException;
import io.taskdeck.client.UnavailableException;
import io.taskdeck.client.ValidationException;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.IllegalRunStateException;
import io.taskdeck.engine.InvalidPayloadException;
import io.taskdeck.server.internal.ApiError;
import io.taskdeck.server.internal.EventStream;
import io.taskdeck.server.internal.JsonErrorHandler;
import io.taskdeck.server.internal.Metrics;
import io.taskdeck.server.internal.Requests;
import io.taskdeck.server.internal.TaskdeckApi;
import io.taskdeck.server.internal.TriggerDevApi;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taskdeck's HTTP server over an engine: its own API ({@code /api/taskdeck/v1}, see client-api/API.md),
 * the Trigger.dev-compatible endpoints, live events over SSE, health, metrics and the OpenAPI document.
 * Every request goes through one {@link EngineTaskServer}, as the embedded console does.
 *
 * <pre>{@code
 * TaskdeckServer server = TaskdeckServer.builder()
 *         .engine(engine)
 *         .host("127.0.0.1").port(0)                        // 0: a free port
 *         .key(new ApiKey("console", secret, Role.ADMIN))
 *         .start();
 * String url = server.baseUrl();
 * server.stop(Duration.ofSeconds(10));
 * }</pre>
 */
public final class TaskdeckServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskdeckServer.class);
    public static final int DEFAULT_PORT = 7820;
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    private static final String CALLER = "io.taskdeck.caller";
    private static final String ERROR_WRITTEN = "io.taskdeck.errorWritten";
    public static final String OPENAPI_PATH = TaskdeckApi.PREFIX + "/openapi.yaml";

    private final Builder config;
    private final EngineTaskServer adapter;
    private final Requests requests;
    private final EventStream events;
    private final Metrics metrics;
    private final List<KeyDigest> keys;
    private final Javalin app;
    private volatile boolean stopping;

    private record KeyDigest(ApiKey key, byte[] digest) {
    }

    private TaskdeckServer(Builder b) {
        this.config = b;
        this.adapter = b.adapter != null ? b.adapter : EngineTaskServer.over(b.engine);
        Engine engine = adapter.engine();
        this.requests = new Requests(b.maxBodyBytes);
        this.events = new EventStream(engine, adapter.mapping(), b.pingInterval);
        this.metrics = new Metrics(engine, events::openStreams);
        List<KeyDigest> digests = new ArrayList<>();
        for (ApiKey k : b.keys) {
            digests.add(new KeyDigest(k, sha256(k.secret())));
        }
        this.keys = List.copyOf(digests);
        this.app = Javalin.create(c -> {
            c.useVirtualThreads = true;
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
            c.http.maxRequestSize = b.maxBodyBytes;
            c.http.disableCompression();
            c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            c.jetty.modifyHttpConfiguration(http -> {
                // Queue names such as "task/noop" arrive as one %2F-encoded path segment.
                http.setUriCompliance(UriCompliance.LEGACY);
                http.setSendServerVersion(false);
            });
        });
        configure();
    }

    public static Builder builder() {
        return new Builder();
    }

    private void configure() {
        app.before(ctx -> {
            metrics.requestStarted(ctx);
            String path = ctx.path();
            if (path.equals("/healthz") || path.equals("/readyz")) {
                return;
            }
            ApiKey key = authenticate(ctx.header("Authorization"));
            if (key == null) {
                throw new ApiError(401, "unauthorized", ctx.header("Authorization") == null
                        ? "an API key is required: send Authorization: Bearer <secret key>"
                        : "the API key is not valid", List.of());
            }
            String method = ctx.method().name();
            boolean read = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
            if (!read && !key.role().canOperate()) {
                throw new ApiError(403, "forbidden", "the key \"" + key.name() + "\" has role "
                        + key.role().name().toLowerCase() + ", which may only read; " + method + " " + path
                        + " needs operator or admin", List.of());
            }
            ctx.attribute(CALLER, adapter.as(key.name(), key.role()));
        });
        app.after(metrics::requestFinished);

        app.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        app.get("/readyz", ctx -> {
            if (stopping || !adapter.engine().isRunning()) {
                throw new ApiError(503, "unavailable", stopping ? "the server is shutting down" : "the engine is not running",
                        List.of());
            }
            ctx.contentType("application/json").result("{\"status\":\"ready\"}");
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        app.get(OPENAPI_PATH, ctx -> {
            try (InputStream in = TaskdeckServer.class.getResourceAsStream("openapi.yaml")) {
                if (in == null) {
                    throw ApiError.notFound("this build has no openapi.yaml");
                }
                ctx.contentType("application/yaml; charset=utf-8").result(in.readAllBytes());
            }
        });
        new TaskdeckApi(requests, this::caller, events).register(app);
        new TriggerDevApi(requests, this::caller).register(app);

        app.exception(ApiError.class, (e, ctx) -> writeError(ctx, e.status(), e.body()));
        app.exception(TaskServerException.class, (e, ctx) -> {
            int status = switch (e) {
                case NotFoundException x -> 404;
                case ValidationException x -> e.status() >= 400 && e.status() < 500 ? e.status() : 422;
                case ConflictException x -> 409;
                case ForbiddenException x -> 403;
                case UnauthorizedException x -> 401;
                case UnavailableException x -> 503;
                default -> 500;
            };
            String code = switch (status) {
                case 400 -> "bad_request";
                case 401 -> "unauthorized";
                case 403 -> "forbidden";
                case 404 -> "not_found";
                case 409 -> "conflict";
                case 413 -> "payload_too_large";
                case 422 -> "validation_failed";
                case 503 -> "unavailable";
                default -> "internal";
            };
            if (status == 500) {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            }
            writeError(ctx, status, new ErrorBody(code, e.getMessage(), e.fieldErrors()));
        });
        // Engine exceptions that reach here are the caller's fault; anything else is a bug.
        app.exception(InvalidPayloadException.class, (e, ctx) -> writeError(ctx, 422,
                new ErrorBody("validation_failed", e.getMessage(), List.of())));
        app.exception(IllegalRunStateException.class, (e, ctx) -> writeError(ctx, 409,
                new ErrorBody("conflict", e.getMessage(), List.of())));
        app.exception(NoSuchElementException.class, (e, ctx) -> writeError(ctx, 404,
                new ErrorBody("not_found", e.getMessage(), List.of())));
        app.exception(HttpResponseException.class, (e, ctx) -> writeError(ctx, e.getStatus(),
                new ErrorBody(codeFor(e.getStatus()), e.getMessage(), List.of())));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            writeError(ctx, 500, new ErrorBody("internal", "internal server error: " + e.getClass().getSimpleName()
                    + " (this is a bug; the server log has the details)", List.of()));
        });
        app.error(404, ctx -> {
            if (ctx.attribute(ERROR_WRITTEN) == null) {
                writeError(ctx, 404, new ErrorBody("not_found", "no endpoint " + ctx.method() + " " + ctx.path(), List.of()));
            }
        });
        app.error(405, ctx -> {
            if (ctx.attribute(ERROR_WRITTEN) == null) {
                writeError(ctx, 405, new ErrorBody("method_not_allowed", ctx.method() + " is not allowed on " + ctx.path(),
                        List.of()));
            }
        });
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 422 -> "validation_failed";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }

    private void writeError(Context ctx, int status, ErrorBody body) {
        try {
            ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
            ctx.status(status).contentType("application/json; charset=utf-8")
                    .result(requests.json().writeValueAsBytes(body));
        } catch (Exception e) {
            ctx.status(status).result("{\"error\":\"internal\",\"message\":\"cannot write error\",\"fieldErrors\":[]}");
        }
    }

    private EngineTaskServer caller(Context ctx) {
        EngineTaskServer s = ctx.attribute(CALLER);
        if (s == null) {
            throw new ApiError(401, "unauthorized", "an API key is required", List.of());
        }
        return s;
    }

    /** Compares against every key in constant time (digests of equal length), so timing tells nothing. */
    private ApiKey authenticate(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        byte[] presented = sha256(header.substring(7).trim());
        ApiKey found = null;
        for (KeyDigest k : keys) {
            if (MessageDigest.isEqual(k.digest(), presented)) {
                found = k.key();
            }
        }
        return found;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private TaskdeckServer startServer() {
        app.start(config.host, config.port);
        LOG.info("Taskdeck server listening on {}", baseUrl());
        return this;
    }

    /** The port listened on (the real one when started with port 0). */
    public int port() {
        return app.port();
    }

    /** {@code http://host:port}, for clients. */
    public String baseUrl() {
        String host = config.host.equals("0.0.0.0") ? "127.0.0.1" : config.host;
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    public EngineTaskServer adapter() {
        return adapter;
    }

    /**
     * Graceful shutdown: /readyz answers 503, event streams and bulk actions end, the engine stops
     * claiming and gives running attempts up to {@code grace} to finish (when {@link Builder#stopEngine}
     * is set), then the HTTP server closes.
     */
    public void stop(Duration grace) {
        if (stopping) {
            return;
        }
        stopping = true;
        events.stopAll();
        adapter.abortBulkActions();
        if (config.stopEngine) {
            adapter.engine().stop(grace);
        }
        app.stop();
        metrics.close();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    public static final class Builder {
        private Engine engine;
        private EngineTaskServer adapter;
        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private final List<ApiKey> keys = new ArrayList<>();
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration pingInterval = Duration.ofSeconds(15);
        private boolean stopEngine;

        private Builder() {
        }

        public Builder engine(Engine value) {
            engine = Objects.requireNonNull(value, "engine");
            return this;
        }

        /** Shares an adapter (and its bulk actions) with an embedded console; implies its engine. */
        public Builder adapter(EngineTaskServer value) {
            adapter = Objects.requireNonNull(value, "adapter");
            engine = value.engine();
            return this;
        }

        public Builder host(String value) {
            host = Objects.requireNonNull(value, "host");
            return this;
        }

        /** 0 picks a free port. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, got " + value);
            }
            port = value;
            return this;
        }

        public Builder key(ApiKey key) {
            keys.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        public Builder keys(List<ApiKey> value) {
            value.forEach(this::key);
            return this;
        }

        /** Request bodies larger than this are refused with 413 (default 1 MiB). */
        public Builder maxBodyBytes(long value) {
            if (value < 1024) {
                throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + value);
            }
            maxBodyBytes = value;
            return this;
        }

        /** How often an idle event stream sends a keep-alive comment (default 15 s). */
        public Builder pingInterval(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("pingInterval must be > 0");
            }
            pingInterval = value;
            return this;
        }

        /** Whether {@link #stop} also stops the engine (the launcher's case); default false. */
        public Builder stopEngine(boolean value) {
            stopEngine = value;
            return this;
        }

        public TaskdeckServer start() {
            if (engine == null) {
                throw new IllegalStateException("a server needs an engine: TaskdeckServer.builder().engine(engine)");
            }
            if (keys.isEmpty()) {
                throw new IllegalStateException("a server needs at least one API key; every endpoint but health requires one");
            }
            return new TaskdeckServer(this).startServer();
        }
    }
}
