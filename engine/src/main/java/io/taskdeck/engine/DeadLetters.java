package io.taskdeck.engine;

import io.taskdeck.engine.store.RunStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Runs that failed for good, grouped by error fingerprint: inspect, requeue, replay, discard,
 * one at a time or in bulk.
 */
public final class DeadLetters {

    private final RunStore store;
    private final Engine engine;
    private final Function<String, String> ids;
    private final ConcurrentHashMap<String, BulkJob> jobs = new ConcurrentHashMap<>();

    DeadLetters(RunStore store, Engine engine, Function<String, String> ids) {
        this.store = store;
        this.engine = engine;
        this.ids = ids;
    }

    /** Open dead letters grouped by fingerprint, most recent first. */
    public List<DeadLetterGroup> groups() {
        return store.deadLetterGroups(null);
    }

    public List<DeadLetterGroup> groups(String taskId) {
        return store.deadLetterGroups(taskId);
    }

    /** Open dead letters, optionally of one fingerprint (null: all), newest first. */
    public RunPage list(String fingerprint, String cursor, int limit) {
        return store.list(RunQuery.builder().deadLetter(DeadLetterState.OPEN).fingerprint(fingerprint)
                .cursor(cursor).limit(limit).build());
    }

    public Run requeue(String runId) {
        return engine.requeue(runId, RequeueOptions.NONE);
    }

    public Run requeue(String runId, RequeueOptions options) {
        return engine.requeue(runId, options);
    }

    public TriggerResult replay(String runId) {
        return engine.replay(runId);
    }

    public Run discard(String runId) {
        return engine.discard(runId);
    }

    /**
     * Starts requeueing in the background. With a filter, the set is the open dead letters
     * matching it when the job starts (runs failing later are not included).
     */
    public BulkJob bulkRequeue(BulkRequeueRequest request) {
        List<String> targets = request.runIds() != null ? request.runIds() : collect(request.filter());
        BulkJob job = new BulkJob(ids.apply("bulk_"), targets, request.ratePerSecond(), engine.clock(),
                id -> engine.requeue(id, request.options()));
        jobs.put(job.id(), job);
        return job.start();
    }

    public java.util.Optional<BulkJob> job(String id) {
        return java.util.Optional.ofNullable(jobs.get(id));
    }

    private List<String> collect(RunQuery filter) {
        List<String> out = new ArrayList<>();
        RunQuery page = filter.toBuilder().deadLetter(DeadLetterState.OPEN).limit(RunQuery.MAX_LIMIT)
                .oldestFirst(true).cursor(null).build();
        while (true) {
            RunPage result = store.list(page);
            for (Run r : result.runs()) {
                out.add(r.id());
            }
            if (!result.hasMore()) {
                return out;
            }
            page = page.toBuilder().cursor(result.nextCursor()).build();
        }
    }
}
