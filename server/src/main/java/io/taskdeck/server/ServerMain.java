package io.taskdeck.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.client.Role;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.TaskProvider;
import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.engine.store.PostgresRunStore;
import io.taskdeck.engine.store.PostgresStoreOptions;
import io.taskdeck.engine.store.RunStore;
import io.taskdeck.engine.store.SqliteRunStore;
import io.taskdeck.engine.store.StoreException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar taskdeck-server.jar}: an engine, its tasks, and the HTTP server over it. */
@Command(name = "taskdeck-server", mixinStandardHelpOptions = true, version = "Taskdeck server 0.1.0",
        description = {"Runs a Taskdeck engine and serves its HTTP API (Taskdeck's own and the Trigger.dev-compatible one).",
                "",
                "API keys come from --config (a JSON file: {\"keys\": [{\"name\": \"ops\", \"secret\": \"...\", \"role\": \"operator\"}]},"
                        + " roles viewer | operator | admin) and from the environment variable TASKDECK_API_KEY, which is an"
                        + " admin key when set. Keys are never taken from the command line.",
                ""},
        footer = {"", "Endpoints: /api/taskdeck/v1/... (see /api/taskdeck/v1/openapi.yaml), /api/v1|v2|v3/... (Trigger.dev SDK),",
                "/healthz, /readyz, /metrics (Prometheus). Every endpoint but health needs a key."})
public final class ServerMain implements Callable<Integer> {

    @Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = TaskdeckServer.DEFAULT_PORT;

    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host = "0.0.0.0";

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory; the SQLite store lives there (taskdeck.db). Created if missing.")
    Path data;

    @Option(names = "--store", paramLabel = "KIND",
            description = "memory | sqlite | a PostgreSQL JDBC URL such as jdbc:postgresql://db:5432/taskdeck, shared by "
                    + "several servers (user and password from TASKDECK_DB_USER and TASKDECK_DB_PASSWORD) "
                    + "(default: sqlite when --data is given, else memory).")
    String store;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON file with the API keys and their roles.")
    Path config;

    @Option(names = "--tasks", paramLabel = "JAR-OR-DIR",
            description = "A task jar or classes folder; its io.taskdeck.engine.TaskProvider services are registered. May repeat.")
    List<Path> taskJars = new ArrayList<>();

    @Option(names = "--no-examples", description = "Do not register the demo tasks.")
    boolean noExamples;

    @Option(names = "--node-id", description = "This engine node's id; servers sharing a PostgreSQL database need "
            + "different ones (default: ${DEFAULT-VALUE}).")
    String nodeId = "node-1";

    @Option(names = "--grace", paramLabel = "SECONDS",
            description = "On shutdown, how long running attempts may take to finish (default: ${DEFAULT-VALUE}).")
    int graceSeconds = 30;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The launcher's command line; a store that cannot be opened is reported in one line, not a stack trace. */
    static CommandLine commandLine() {
        return new CommandLine(new ServerMain()).setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof StoreException) {
                cmd.getErr().println("taskdeck-server: " + ex.getMessage());
                return 3;
            }
            throw ex;
        });
    }

    @Override
    public Integer call() throws Exception {
        List<ApiKey> keys = keys();
        RunStore runStore = openStore();
        Engine engine = Engine.builder().store(runStore).nodeId(nodeId).build();
        int registered = registerTasks(engine);
        engine.start();
        TaskdeckServer server = TaskdeckServer.builder().engine(engine).host(host).port(port).keys(keys)
                .stopEngine(true).start();
        System.err.println("Taskdeck server on " + server.baseUrl() + " with " + registered + " tasks and "
                + keys.size() + " API key(s)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(Duration.ofSeconds(graceSeconds));
            runStore.close();
            stopped.countDown();
        }, "taskdeck-shutdown"));
        stopped.await();
        return 0;
    }

    /** The SQLite store's file inside --data. */
    static final String SQLITE_FILE = "taskdeck.db";

    /** The store named by --store / --data. */
    RunStore openStore() throws IOException {
        String kind = store != null ? store : data != null ? "sqlite" : "memory";
        if (data != null) {
            Files.createDirectories(data);
        }
        return switch (kind) {
            case "memory" -> new MemoryRunStore();
            case "sqlite" -> {
                if (data == null) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "--store sqlite needs --data DIR: the store's file lives there");
                }
                yield SqliteRunStore.open(data.resolve(SQLITE_FILE));
            }
            default -> {
                if (kind.startsWith("jdbc:postgresql:")) {
                    yield openPostgres(kind, System.getenv());
                }
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--store must be memory, sqlite or a jdbc:postgresql: URL, got " + kind);
            }
        };
    }

    /**
     * A PostgreSQL store shared with the other servers on the same database, registered in its
     * node registry under this server's node id. The password comes from TASKDECK_DB_PASSWORD
     * (and the user from TASKDECK_DB_USER) unless the URL names them; a password in the URL is
     * accepted but visible in the process list, so it gets a warning.
     */
    RunStore openPostgres(String url, java.util.Map<String, String> env) {
        if (url.matches("(?i).*[?&]password=.*")) {
            System.err.println("warning: --store has a password in its URL, which other users of this machine can see "
                    + "in the process list; prefer the TASKDECK_DB_PASSWORD environment variable");
        }
        String user = env.get("TASKDECK_DB_USER");
        String password = env.get("TASKDECK_DB_PASSWORD");
        PostgresStoreOptions options;
        try {
            options = PostgresStoreOptions.builder(url)
                    .credentials(user == null || user.isBlank() ? null : user, password == null || password.isEmpty() ? null : password)
                    .nodeId(nodeId)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--store: " + e.getMessage());
        }
        try {
            return PostgresRunStore.open(options);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new CommandLine.ParameterException(new CommandLine(this), "--store: cannot open PostgreSQL at "
                    + options.jdbcUrl().replaceFirst("\\?.*", "") + ": " + cause.getMessage());
        }
    }

    List<ApiKey> keys() throws IOException {
        List<ApiKey> keys = new ArrayList<>();
        if (config != null) {
            keys.addAll(readKeys(config));
        }
        String env = System.getenv("TASKDECK_API_KEY");
        if (env != null && !env.isBlank()) {
            keys.add(new ApiKey("env", env.trim(), Role.ADMIN));
        }
        if (keys.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "no API key: set TASKDECK_API_KEY (an admin key) or give --config FILE with keys");
        }
        return keys;
    }

    /** {@code {"keys": [{"name": "ops", "secret": "at-least-16-chars", "role": "operator"}]}}. */
    static List<ApiKey> readKeys(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("config " + file + " is not readable JSON: " + e.getMessage(), e);
        }
        JsonNode keys = root == null ? null : root.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new IllegalArgumentException("config " + file + ": expected {\"keys\": [{\"name\", \"secret\", \"role\"}, ...]}");
        }
        List<ApiKey> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            JsonNode k = keys.get(i);
            String role = k.path("role").asText("");
            Role r = switch (role) {
                case "viewer" -> Role.VIEWER;
                case "operator" -> Role.OPERATOR;
                case "admin" -> Role.ADMIN;
                default -> throw new IllegalArgumentException("config " + file + ": keys[" + i
                        + "].role must be viewer, operator or admin, got \"" + role + "\"");
            };
            try {
                out.add(new ApiKey(k.path("name").asText(null), k.path("secret").asText(null), r));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("config " + file + ": keys[" + i + "]: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Demo tasks (unless --no-examples) and every --tasks jar, through ServiceLoader of TaskProvider. */
    int registerTasks(Engine engine) throws IOException {
        int count = 0;
        if (!noExamples) {
            for (TaskProvider provider : ServiceLoader.load(TaskProvider.class, ServerMain.class.getClassLoader())) {
                count += register(engine, provider);
            }
        }
        for (Path jar : taskJars) {
            if (!Files.exists(jar)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--tasks " + jar + ": no such file or folder");
            }
            List<URL> urls = new ArrayList<>();
            urls.add(jar.toUri().toURL());
            if (Files.isDirectory(jar)) {
                try (Stream<Path> files = Files.list(jar)) {
                    for (Path p : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                        urls.add(p.toUri().toURL());
                    }
                }
            }
            URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ServerMain.class.getClassLoader());
            int before = count;
            for (TaskProvider provider : ServiceLoader.load(TaskProvider.class, loader)) {
                if (provider.getClass().getClassLoader() == loader) {
                    count += register(engine, provider);
                }
            }
            if (count == before) {
                System.err.println("warning: --tasks " + jar + " has no io.taskdeck.engine.TaskProvider service");
            }
        }
        return count;
    }

    private static int register(Engine engine, TaskProvider provider) {
        List<TaskDefinition<?>> tasks = provider.tasks();
        tasks.forEach(engine::register);
        System.err.println("registered " + tasks.size() + " tasks from " + provider.name());
        return tasks.size();
    }
}
