package io.taskdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskdeck.client.HttpTaskServer;
import io.taskdeck.client.NodeInfo;
import io.taskdeck.client.Role;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.TaskServer;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.store.PostgresRunStore;
import io.taskdeck.engine.store.RunStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --store jdbc:postgresql:...}: servers sharing one real PostgreSQL. */
class ServerPostgresTest {
    private static final String OPS = "ops-secret-0123456789abcdef";
    private static final Map<String, String> ENV = Map.of("TASKDECK_DB_USER", "postgres", "TASKDECK_DB_PASSWORD", "postgres");

    private static EmbeddedPostgres postgres;
    private final List<Node> nodes = new ArrayList<>();

    private record Node(RunStore store, Engine engine, TaskdeckServer server, TaskServer client) {
    }

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(30)).start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(ServerPostgresTest::stop);
    }

    private static void stop(Node n) {
        n.client().close();
        n.server().stop(Duration.ofSeconds(5));
        n.store().close();
    }

    private static String url() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    /** What ServerMain.call does with these arguments, with a key and an environment of our own. */
    private Node startServer(String... args) {
        ServerMain main = new ServerMain();
        new CommandLine(main).parseArgs(args);
        RunStore store = main.openPostgres(main.store, ENV);
        Engine engine = Engine.builder().store(store).nodeId(main.nodeId).build();
        ContractTasks.register(engine);
        engine.start();
        TaskdeckServer server = TaskdeckServer.builder().engine(engine).host("127.0.0.1").port(0)
                .key(new ApiKey("ops", OPS, Role.OPERATOR)).stopEngine(true).start();
        Node node = new Node(store, engine, server, HttpTaskServer.builder().baseUrl(server.baseUrl()).apiKey(OPS).build());
        nodes.add(node);
        return node;
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Test
    void storeUrlMakesServersShareOneDatabaseAndListEachOtherAsNodes() {
        Node first = startServer("--store", url(), "--node-id", "node-a", "--no-examples");
        Node second = startServer("--store", url(), "--node-id", "node-b", "--no-examples");
        Node third = startServer("--store", url(), "--node-id", "node-c", "--no-examples");
        assertThat(first.store()).isInstanceOf(PostgresRunStore.class);

        String id = first.client().trigger("noop", JsonNodeFactory.instance.objectNode().put("n", 1), null).id();
        // Any server reads what any other recorded and ran.
        await("the run to complete", () -> third.client().getRun(id).run().status() == RunStatus.COMPLETED);
        assertThat(second.client().getRun(id).run().taskId()).isEqualTo("noop");

        assertThat(second.client().nodes()).extracting(NodeInfo::id).containsExactly("node-a", "node-b", "node-c");

        stop(third);
        nodes.remove(third);
        assertThat(first.client().nodes()).extracting(NodeInfo::id).containsExactly("node-a", "node-b");
    }

    @Test
    void badStoreUrlIsAClearError() {
        ServerMain main = new ServerMain();
        new CommandLine(main).parseArgs("--store", "postgresql://localhost/db");
        assertThatThrownBy(main::openStore).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--store must be memory, sqlite or a jdbc:postgresql: URL, got postgresql://localhost/db");
        assertThatThrownBy(() -> main.openPostgres("jdbc:postgresql://localhost:" + postgres.getPort() + "/no_such_db", ENV))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("cannot open PostgreSQL at jdbc:postgresql://localhost:" + postgres.getPort() + "/no_such_db")
                .hasMessageContaining("no_such_db");
    }
}
