package io.taskdeck.engine.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.QueueOptions;
import io.taskdeck.engine.RetryPolicy;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.store.PostgresRunStore;
import io.taskdeck.engine.store.PostgresStoreOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A Taskdeck node in its own JVM, for the kill tests: {@code NodeProcess <jdbcUrl> <schema> <nodeId>}. */
public final class NodeProcess {

    static final String QUEUE = "shared";
    static final int LIMIT = 4;

    /** The task every node runs: five milliseconds of work. */
    static TaskDefinition<JsonNode> job() {
        return TaskDefinition.builder("job", JsonNode.class)
                .queue(QueueOptions.of(QUEUE, LIMIT))
                .retry(RetryPolicy.attempts(20))
                .handler((p, ctx) -> {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                    return p;
                }).build();
    }

    static PostgresStoreOptions options(String jdbcUrl, String schema, String nodeId) {
        return PostgresStoreOptions.builder(jdbcUrl).credentials("postgres", "postgres").schema(schema)
                .maxPoolSize(3).nodeId(nodeId)
                .heartbeatInterval(Duration.ofMillis(200)).nodeTimeout(Duration.ofSeconds(1))
                .fallbackPollInterval(Duration.ofMillis(200)).build();
    }

    public static void main(String[] args) throws InterruptedException {
        PostgresRunStore store = PostgresRunStore.open(options(args[0], args[1], args[2]));
        Engine engine = Engine.builder().store(store).nodeId(args[2]).leaseDuration(Duration.ofSeconds(2)).build();
        engine.register(job()).start();
        System.out.println("node " + args[2] + " up");
        new CountDownLatch(1).await();  // until killed
    }

    /** Starts a node JVM with this JVM's class path; its output goes to {@code log}. */
    static Process start(String jdbcUrl, String schema, String nodeId, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), NodeProcess.class.getName(), jdbcUrl, schema, nodeId));
        File file = log.toFile();
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(file));
        return pb.start();
    }

    private NodeProcess() {
    }
}
