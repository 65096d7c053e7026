package io.taskdeck.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * Everything the console does with a task server. Two implementations: the engine adapter (embedded,
 * in-process, in taskdeck-server) and {@link HttpTaskServer} (remote). Every view codes against this.
 *
 * <p>Methods block until the server answered and are safe to call from any thread except the FX
 * thread. Failures are unchecked {@link TaskServerException}s: {@link NotFoundException},
 * {@link ValidationException} (bad input, with field errors), {@link ConflictException} (the target's
 * state forbids the action), {@link UnauthorizedException}, {@link ForbiddenException} (the role may not
 * do it), {@link UnavailableException} (unreachable, timeout, 5xx). Ids and names are never null.
 */
public interface TaskServer extends AutoCloseable {

    /** For {@link #subscribe}: only events that happen after the subscription opens. */
    long LIVE = -1;

    // --- runs -------------------------------------------------------------------------------------

    /** Runs matching {@code filter}, newest first; payload and output are left out (null). */
    Page<Run> listRuns(RunFilter filter, PageRequest page);

    /** A run with payload, output, attempts, logs, events and related runs. */
    RunDetail getRun(String runId);

    /**
     * Creates a run; returns once it is durably recorded, without waiting for it to execute.
     *
     * @param payload any JSON value (null is JSON null); validated against the task's schema if it has one
     * @param options null for none
     * @throws NotFoundException   the task is not registered
     * @throws ValidationException the payload or an option is invalid
     */
    TriggerResult trigger(String taskId, JsonNode payload, TriggerOptions options);

    /** Creates all runs atomically (all or none), at most 500; results in the order of {@code requests}. */
    List<TriggerResult> batchTrigger(List<TriggerRequest> requests);

    /**
     * Cancels a run that has not finished.
     *
     * @throws ConflictException the run is already in a final status
     */
    Run cancel(String runId);

    /** Creates a new run of the same task from this run's input (any status). */
    default Run replay(String runId) {
        return replay(runId, null);
    }

    /**
     * Creates a new run of the same task from this run's options and, unless {@code payload} is
     * non-null, its payload.
     */
    Run replay(String runId, JsonNode payload);

    /**
     * Puts a dead-letter run back to QUEUED with a fresh attempt budget, keeping its history; resolves its
     * dead-letter entry.
     *
     * @param options null for {@link RequeueOptions#AS_IS}
     * @throws ConflictException the run is not an unresolved dead letter
     */
    Run requeue(String runId, RequeueOptions options);

    /**
     * Resolves a dead-letter run without running it again.
     *
     * @throws ConflictException the run is not an unresolved dead letter
     */
    Run discard(String runId);

    /**
     * Moves a DELAYED run's start time.
     *
     * @throws ConflictException the run is not DELAYED
     */
    Run reschedule(String runId, Instant delayUntil);

    /** Forgets an idempotency key of a task so that the next trigger with it creates a new run. */
    void resetIdempotencyKey(String taskId, String idempotencyKey);

    // --- bulk actions -----------------------------------------------------------------------------

    /** Starts a bulk action in the background; returns at once with its initial progress. */
    BulkAction startBulkAction(BulkActionRequest request);

    BulkAction getBulkAction(String bulkActionId);

    /** Recent bulk actions, newest first (at most 100). */
    List<BulkAction> listBulkActions();

    /** Stops a running bulk action after the run in progress; a finished one is returned unchanged. */
    BulkAction abortBulkAction(String bulkActionId);

    // --- queues and tasks -------------------------------------------------------------------------

    /** All queues, by name. */
    List<QueueInfo> listQueues();

    QueueInfo getQueue(String name);

    /** Stops starting runs from the queue (running ones finish); idempotent. */
    QueueInfo pauseQueue(String name);

    /** Idempotent. */
    QueueInfo resumeQueue(String name);

    /** Overrides the queue's concurrency limit, in effect at once ({@code limit} ≥ 0; 0 stops starting runs). */
    QueueInfo overrideConcurrency(String name, int limit);

    /** Removes the override; the declared limit applies again. Idempotent. */
    QueueInfo resetConcurrency(String name);

    /** All registered tasks, by id. */
    List<TaskInfo> listTasks();

    TaskInfo getTask(String taskId);

    // --- dead letters, stats, nodes, identity -----------------------------------------------------

    /** Unresolved dead-letter groups, most recently seen first. */
    List<DeadLetterGroup> deadLetterGroups();

    /** The unresolved runs of a dead-letter group, newest first. */
    default Page<Run> deadLetterRuns(String fingerprint, PageRequest page) {
        return listRuns(RunFilter.builder().fingerprint(fingerprint).build(), page);
    }

    Stats stats();

    /** The engine nodes sharing the server's store, by id. */
    List<NodeInfo> nodes();

    /** The role of the credentials this server was opened with. */
    Role role();

    // --- live events ------------------------------------------------------------------------------

    /**
     * Delivers every journal event with a seq greater than {@code afterSeq} (or, for {@link #LIVE}, every
     * event from now on), in order, each once, across reconnects; returns at once. When the server no
     * longer retains the events after {@code afterSeq}, the listener gets {@link RunEventListener#onResync}.
     */
    Subscription subscribe(long afterSeq, RunEventListener listener);

    /** Closes subscriptions and releases resources; idempotent. */
    @Override
    void close();
}
