package io.taskdeck.server;

import io.taskdeck.client.HttpTaskServer;
import io.taskdeck.client.Role;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TaskServerContractTest;
import io.taskdeck.engine.Engine;
import java.time.Duration;

/** The contract suite against HttpTaskServer talking to a real server on a random port. */
class HttpTaskServerContractTest extends TaskServerContractTest {
    static final String ADMIN_SECRET = "contract-admin-secret-0123456789";

    private Engine engine;
    private TaskdeckServer http;

    @Override
    protected TaskServer createServer() {
        engine = ContractTasks.newEngine();
        http = TaskdeckServer.builder().engine(engine).host("127.0.0.1").port(0)
                .key(new ApiKey("contract", ADMIN_SECRET, Role.ADMIN)).start();
        return HttpTaskServer.builder().baseUrl(http.baseUrl()).apiKey(ADMIN_SECRET).build();
    }

    @Override
    protected void destroyBackend() {
        http.stop(Duration.ofSeconds(5));
        engine.stop(Duration.ofSeconds(5));
        engine.store().close();
    }
}
