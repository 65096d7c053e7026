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
    /** Lines logged since the last save; made on the first line (most attempts log nothing). */
    private List<LogLine> logs;
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
        if (logs == null) {
            logs = new ArrayList<>();
        }
        if (logs.size() < MAX_LOG_LINES) {
            logs.add(line);
        }
    }

    synchronized List<LogLine> drainLogs() {
        if (logs == null || logs.isEmpty()) {
            return List.of();
        }
        List<LogLine> out = new ArrayList<>(logs);
        logs.clear();
        return out;
    }
}
