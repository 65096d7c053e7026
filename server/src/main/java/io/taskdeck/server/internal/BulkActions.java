package io.taskdeck.server.internal;

import io.taskdeck.client.BulkAction;
import io.taskdeck.client.BulkActionError;
import io.taskdeck.client.BulkActionKind;
import io.taskdeck.client.BulkActionState;
import io.taskdeck.client.NotFoundException;
import io.taskdeck.client.TaskServerException;
import io.taskdeck.engine.EngineClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Bulk actions running in the background, one virtual thread each: requeue, replay, cancel or
 * discard every selected run, optionally rate-limited against the engine's clock; abortable after
 * the run in progress. The last 100 are kept.
 */
public final class BulkActions {

    private static final int KEEP = 100;
    private static final int MAX_ERRORS = 100;

    private final EngineClock clock;
    private final Supplier<String> ids;
    private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();

    public BulkActions(EngineClock clock, Supplier<String> ids) {
        this.clock = clock;
        this.ids = ids;
    }

    /** Starts acting on {@code runIds} (already selected) with {@code action}; returns the first progress. */
    public BulkAction start(BulkActionKind kind, List<String> runIds, Double ratePerSecond, Consumer<String> action) {
        Job job = new Job(ids.get(), kind, List.copyOf(runIds), ratePerSecond, action, clock.now());
        jobs.put(job.id, job);
        trim();
        job.thread = Thread.ofVirtual().name("bulk-" + job.id).start(job::run);
        return job.snapshot();
    }

    public BulkAction get(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw new NotFoundException("no bulk action with id " + id);
        }
        return job.snapshot();
    }

    public List<BulkAction> list() {
        return jobs.values().stream().sorted(Comparator.comparing((Job j) -> j.createdAt).thenComparing(j -> j.id).reversed())
                .limit(KEEP).map(Job::snapshot).toList();
    }

    public BulkAction abort(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw new NotFoundException("no bulk action with id " + id);
        }
        job.abort();
        return job.snapshot();
    }

    /** Aborts every running action (server shutdown). */
    public void abortAll() {
        jobs.values().forEach(Job::abort);
    }

    private void trim() {
        if (jobs.size() <= KEEP) {
            return;
        }
        jobs.values().stream().filter(j -> j.state != BulkActionState.RUNNING)
                .sorted(Comparator.comparing((Job j) -> j.createdAt))
                .limit(jobs.size() - KEEP).forEach(j -> jobs.remove(j.id));
    }

    private final class Job {
        final String id;
        final BulkActionKind kind;
        final List<String> runIds;
        final Double rate;
        final Consumer<String> action;
        final Instant createdAt;
        final List<BulkActionError> errors = new ArrayList<>();
        volatile BulkActionState state = BulkActionState.RUNNING;
        volatile long succeeded;
        volatile long failed;
        volatile Instant finishedAt;
        volatile boolean abort;
        boolean waiting;
        volatile Thread thread;

        Job(String id, BulkActionKind kind, List<String> runIds, Double rate, Consumer<String> action, Instant createdAt) {
            this.id = id;
            this.kind = kind;
            this.runIds = runIds;
            this.rate = rate;
            this.action = action;
            this.createdAt = createdAt;
        }

        void run() {
            long start = clock.millis();
            try {
                for (int i = 0; i < runIds.size() && !abort; i++) {
                    if (rate != null) {
                        synchronized (this) {
                            if (abort) {
                                break;
                            }
                            waiting = true;
                        }
                        try {
                            clock.sleepUntil(start + (long) (i * 1000 / rate));
                        } finally {
                            synchronized (this) {
                                waiting = false;
                                Thread.interrupted();
                            }
                        }
                        if (abort) {
                            break;
                        }
                    }
                    String runId = runIds.get(i);
                    try {
                        action.accept(runId);
                        succeeded++;
                    } catch (TaskServerException e) {
                        fail(runId, e.errorCode() == null ? "error" : e.errorCode(), e.getMessage());
                    } catch (RuntimeException e) {
                        fail(runId, "internal", String.valueOf(e.getMessage()));
                    }
                }
            } catch (InterruptedException e) {
                // aborted while waiting for the rate limit
            }
            synchronized (this) {
                finishedAt = clock.now();
                state = abort && succeeded + failed < runIds.size() ? BulkActionState.ABORTED : BulkActionState.COMPLETED;
            }
        }

        private synchronized void fail(String runId, String code, String message) {
            failed++;
            if (errors.size() < MAX_ERRORS) {
                errors.add(new BulkActionError(runId, code, message));
            }
        }

        /** Stops after the run in progress and waits (briefly) for that to happen. */
        void abort() {
            Thread t;
            synchronized (this) {
                abort = true;
                t = thread;
                if (t != null && waiting) {
                    t.interrupt();  // only a rate-limit wait is interrupted, never an action
                }
            }
            if (t != null && t != Thread.currentThread()) {
                try {
                    t.join(java.time.Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        synchronized BulkAction snapshot() {
            return new BulkAction(id, kind, state, runIds.size(), succeeded + failed, succeeded, failed,
                    List.copyOf(errors), createdAt, finishedAt);
        }
    }
}
