package io.taskdeck.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A bulk requeue running in the background; watch its progress, abort it, or wait for it. */
public final class BulkJob {

    private final String id;
    private final List<String> runIds;
    private final Integer ratePerSecond;
    private final EngineClock clock;
    private final Consumer<String> requeue;
    private final CompletableFuture<BulkProgress> completion = new CompletableFuture<>();
    private volatile BulkProgress progress;
    private volatile boolean abort;
    private volatile Thread thread;

    BulkJob(String id, List<String> runIds, Integer ratePerSecond, EngineClock clock, Consumer<String> requeue) {
        this.id = id;
        this.runIds = List.copyOf(runIds);
        this.ratePerSecond = ratePerSecond;
        this.clock = clock;
        this.requeue = requeue;
        this.progress = new BulkProgress(runIds.size(), 0, 0, 0, BulkProgress.State.RUNNING, null);
    }

    BulkJob start() {
        thread = Thread.ofVirtual().name("bulk-requeue-" + id).start(this::run);
        return this;
    }

    private void run() {
        int requeued = 0;
        int failed = 0;
        String lastError = null;
        long start = clock.millis();
        int i = 0;
        try {
            for (; i < runIds.size(); i++) {
                if (abort) {
                    break;
                }
                if (ratePerSecond != null) {
                    clock.sleepUntil(start + (long) i * 1000 / ratePerSecond);
                    if (abort) {
                        break;
                    }
                }
                try {
                    requeue.accept(runIds.get(i));
                    requeued++;
                } catch (RuntimeException e) {
                    failed++;
                    lastError = runIds.get(i) + ": " + e.getMessage();
                }
                progress = new BulkProgress(runIds.size(), i + 1, requeued, failed, BulkProgress.State.RUNNING, lastError);
            }
        } catch (InterruptedException e) {
            // aborted while waiting for the rate limit
        }
        BulkProgress end = new BulkProgress(runIds.size(), requeued + failed, requeued, failed,
                abort ? BulkProgress.State.ABORTED : BulkProgress.State.COMPLETED, lastError);
        progress = end;
        completion.complete(end);
    }

    public String id() {
        return id;
    }

    public BulkProgress progress() {
        return progress;
    }

    /** Stops after the item in progress; what was requeued stays requeued. */
    public void abort() {
        abort = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Completes with the final progress. */
    public CompletableFuture<BulkProgress> completion() {
        return completion;
    }
}
