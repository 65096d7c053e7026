package io.taskdeck.engine.store;

import io.taskdeck.engine.Engine;
import io.taskdeck.engine.QueueOptions;
import io.taskdeck.engine.RetryPolicy;
import io.taskdeck.engine.TaskDefinition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * The process {@link SqliteCrashTest} kills: an engine on a SQLite file that triggers no-op runs
 * as fast as it can. Every execution and every trigger that returned is appended, fsynced, to a
 * log, so the test can account for each one after a SIGKILL.
 *
 * <p>Arguments: the database, the execution log, the trigger log, and "trigger" or "drain".
 */
public final class SqliteCrashChild {

    public record Job(int n) {
    }

    public static final String TASK = "noop";

    private SqliteCrashChild() {
    }

    /** The task both the child and the test's final drain run: records the execution, then succeeds. */
    public static TaskDefinition<Job> task(FileChannel executions) {
        return TaskDefinition.builder(TASK, Job.class)
                .queue(QueueOptions.of("crash", 8))
                .retry(RetryPolicy.attempts(50).withTimeouts(Duration.ofMillis(5), Duration.ofMillis(50)))
                .handler((job, ctx) -> {
                    append(executions, ctx.runId() + " " + ctx.attempt());
                    return null;
                })
                .build();
    }

    public static FileChannel openLog(Path file) throws IOException {
        return FileChannel.open(file, CREATE, WRITE, APPEND);
    }

    /** Appends a line and forces it to disk, so a line present after a kill really happened. */
    public static void append(FileChannel log, String line) {
        synchronized (log) {
            try {
                ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    log.write(bytes);
                }
                log.force(false);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        FileChannel executions = openLog(Path.of(args[1]));
        FileChannel triggers = openLog(Path.of(args[2]));
        SqliteRunStore store = SqliteRunStore.open(Path.of(args[0]));
        Engine engine = Engine.builder().store(store).nodeId("child-" + ProcessHandle.current().pid()).build();
        engine.register(task(executions));
        engine.start();
        if (!"trigger".equals(args[3])) {
            Thread.currentThread().join();
        }
        Runnable triggering = () -> {
            for (int n = 0; ; n++) {
                String id = engine.trigger(TASK, new Job(n)).runId();
                append(triggers, id);
            }
        };
        Thread other = Thread.ofPlatform().start(triggering);
        triggering.run();
        other.join();
    }
}
