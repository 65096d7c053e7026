package io.taskdeck.app;

import io.taskdeck.client.Role;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.TaskProvider;
import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.server.ApiKey;
import io.taskdeck.server.TaskdeckServer;
import java.time.Duration;
import java.util.ServiceLoader;
import org.testfx.api.FxRobot;

/**
 * A real Taskdeck server on a random local port with every provided task, an operator key and a
 * viewer key; and the clicks that add it to the console as a connection.
 */
final class RemoteServerFixture implements AutoCloseable {

    static final String OPERATOR_KEY = "test-operator-key-0123456789";
    static final String VIEWER_KEY = "test-viewer-key-0123456789";

    final Engine engine;
    final TaskdeckServer server;

    RemoteServerFixture() {
        engine = Engine.builder().store(new MemoryRunStore()).nodeId("remote").build();
        for (TaskProvider p : ServiceLoader.load(TaskProvider.class)) {
            p.tasks().forEach(engine::register);
        }
        engine.start();
        server = TaskdeckServer.builder().engine(engine).host("127.0.0.1").port(0)
                .key(new ApiKey("ops", OPERATOR_KEY, Role.OPERATOR))
                .key(new ApiKey("watcher", VIEWER_KEY, Role.VIEWER)).start();
    }

    /** Adds this server through the connection dialog; the console then shows it. */
    void addTo(FxRobot robot, String name, String key) {
        robot.clickOn("#add-connection");
        robot.clickOn("#connection-name").write(name);
        robot.clickOn("#connection-url").write(server.baseUrl());
        robot.clickOn("#connection-key").write(key);
        robot.clickOn("#connection-save");
    }

    @Override
    public void close() {
        server.close();
        engine.stop(Duration.ofSeconds(2));
    }
}
