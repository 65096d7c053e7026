package io.taskdeck.engine.internal;

import io.taskdeck.engine.LogLine;
import io.taskdeck.engine.Run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** One attempt running on this node: its thread, its flags, its buffered logs. */
final class Execution {

    static final int MAX_LOG_LINES = 1_000;

    final Run run;
    final RegisteredTask task;
    final AtomicBoolean settled = new AtomicBoolean();
    /** True while this attempt occupies one of the node's local slots (not while WAITING). */
    final AtomicBoolean holdsSlot = new AtomicBoolean(true);
    private final List<LogLine> logs = new ArrayList<>();
    volatile Thread thread;
    volatile boolean cancelled;
    volatile boolean timedOut;
    /** Clock millis at which maxDuration runs out; Long.MAX_VALUE while WAITING or without a limit. */
    volatile long deadline;
    long remainingWhileWaiting;
    volatile CompletableFuture<Void> resumed;

    Execution(Run run, RegisteredTask task, long deadline) {
        this.run = run;
        this.task = task;
        this.deadline = deadline;
    }

    String id() {
        return run.id();
    }

    synchronized void log(LogLine line) {
        if (logs.size() < MAX_LOG_LINES) {
            logs.add(line);
        }
    }

    synchronized List<LogLine> drainLogs() {
        if (logs.isEmpty()) {
            return List.of();
        }
        List<LogLine> out = new ArrayList<>(logs);
        logs.clear();
        return out;
    }
}
