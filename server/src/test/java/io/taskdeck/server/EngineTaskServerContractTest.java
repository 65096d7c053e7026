package io.taskdeck.server;

import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TaskServerContractTest;
import io.taskdeck.engine.Engine;
import java.time.Duration;

/** The contract suite against the engine adapter, in process. */
class EngineTaskServerContractTest extends TaskServerContractTest {
    private Engine engine;

    @Override
    protected TaskServer createServer() {
        engine = ContractTasks.newEngine();
        return EngineTaskServer.over(engine);
    }

    @Override
    protected void destroyBackend() {
        engine.stop(Duration.ofSeconds(5));
        engine.store().close();
    }
}
