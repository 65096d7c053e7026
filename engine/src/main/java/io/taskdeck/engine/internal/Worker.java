package io.taskdeck.engine.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.engine.AbortTaskRunError;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.EngineClock;
import io.taskdeck.engine.LogLine;
import io.taskdeck.engine.RetryDecision;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunCancelledException;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunOutcome;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.TaskDefinition;
import io.taskdeck.engine.store.ClaimRequest;
import io.taskdeck.engine.store.RunStore;
import io.taskdeck.engine.store.SavedAndClaimed;
import io.taskdeck.engine.store.Transition;
import io.taskdeck.engine.store.TransitionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Runs claimed work on this node. Two platform threads and one virtual thread per attempt:
 * <ul>
 *   <li>the dispatcher, one loop that per pass saves the attempts finished since the last pass
 *       and claims at most as many runs as there are free local slots, the ones just freed
 *       included (their logs in one store call, their transitions and the claim in one more, which
 *       a durable store commits once), and starts each claimed run on a virtual thread; it sleeps
 *       until the store signals new work, an attempt finishes, or the scheduler says something
 *       became due;</li>
 *   <li>the scheduler wakes at the store's next due time (delays, retry timers, TTLs, leases),
 *       at the nearest maxDuration deadline and at the heartbeat, all measured on the engine's
 *       clock, so a {@code ManualClock.advance} drives it; each pass also applies the store's
 *       retention to finished runs.</li>
 * </ul>
 * No lock is held while a handler runs.
 */
public final class Worker {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final int CLAIM_BATCH = 512;
    private static final int COMPLETE_BATCH = 1024;
    private static final int MAINTENANCE_BATCH = 1000;

    private final RunStore store;
    private final EngineClock clock;
    private final String nodeId;
    private final int maxConcurrentRuns;
    private final long leaseMs;
    private final ObjectMapper mapper;
    private final DoubleSupplier random;
    private final Map<String, RegisteredTask> tasks;
    private final Supplier<Set<String>> taskIds;
    private final ChildTriggers triggers;

    private final ConcurrentHashMap<String, Execution> executions = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Execution> resumeRequests = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, CompletableFuture<Run>> childWaiters = new ConcurrentHashMap<>();
    /** Wakes the dispatcher: new work in the store, an attempt finished, a resume request, stop. */
    private final Wakeup fetchWake = new Wakeup();
    private final Wakeup scheduleWake = new Wakeup();
    private final Wakeup idleWake = new Wakeup();
    /**
     * Held by the dispatcher from a claim until its runs are registered, and by the scheduler while
     * it renews leases and rescues: a run just claimed is never mistaken for a lost one.
     */
    private final java.util.concurrent.locks.ReentrantLock claimLock = new java.util.concurrent.locks.ReentrantLock();

    private volatile boolean running;
    private volatile boolean fetching;
    private Thread dispatcher;
    private Thread scheduler;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();

    /** A finished attempt on its way to the store; transition null when there is nothing to write. */
    private record Completion(Execution execution, Transition transition, List<LogLine> logs, boolean releaseSlot) {
    }

    public Worker(RunStore store, EngineClock clock, String nodeId, int maxConcurrentRuns, Duration lease,
                  ObjectMapper mapper, DoubleSupplier random, Map<String, RegisteredTask> tasks,
                  Supplier<Set<String>> taskIds, ChildTriggers triggers) {
        this.store = store;
        this.clock = clock;
        this.nodeId = nodeId;
        this.maxConcurrentRuns = maxConcurrentRuns;
        this.leaseMs = lease.toMillis();
        this.mapper = mapper;
        this.random = random;
        this.tasks = tasks;
        this.taskIds = taskIds;
        this.triggers = triggers;
    }

    EngineClock clock() {
        return clock;
    }

    ChildTriggers triggers() {
        return triggers;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        fetching = true;
        subscriptions.add(store.onWork(fetchWake::signal));
        subscriptions.add(clock.onAdvance(() -> {
            scheduleWake.signal();
            fetchWake.signal();
        }));
        scheduler = Thread.ofPlatform().daemon().name("taskdeck-scheduler-" + nodeId).start(this::scheduleLoop);
        dispatcher = Thread.ofPlatform().daemon().name("taskdeck-dispatcher-" + nodeId).start(this::dispatchLoop);
    }

    /** Stops claiming, lets running attempts finish for up to {@code grace}, then interrupts them. */
    public void stop(Duration grace) {
        synchronized (this) {
            if (!running) {
                return;
            }
            fetching = false;
        }
        // The dispatcher claims only under this lock and after checking the flag: once we have
        // held it, every claimed run is registered and no new claim starts.
        claimLock.lock();
        claimLock.unlock();
        fetchWake.signal();
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (!executions.isEmpty() && System.nanoTime() < deadline) {
                idleWake.await(deadline - System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Execution e : executions.values()) {
            e.cancelled = true;
            Thread t = e.thread;
            if (t != null) {
                t.interrupt();
            }
        }
        running = false;
        scheduleWake.signal();
        join(scheduler);
        fetchWake.signal();
        join(dispatcher);
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing a listener registration cannot meaningfully fail
            }
        }
        subscriptions.clear();
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isRunning() {
        return running;
    }

    /** Local attempts running now (EXECUTING on this node). */
    public int activeCount() {
        return active.get();
    }

    public void wakeScheduler() {
        scheduleWake.signal();
    }

    public void wakeFetcher() {
        fetchWake.signal();
    }

    // ------------------------------------------------------------------ dispatcher

    private void dispatchLoop() {
        List<Completion> batch = new ArrayList<>();
        while (true) {
            try {
                boolean more;
                if (!running) {
                    if (!saveAndClaim(batch, false)) {
                        return;  // stop(): everything finished before it is saved
                    }
                    continue;
                }
                claimLock.lock();
                try {
                    boolean claiming = fetching;
                    if (claiming && !resumeRequests.isEmpty()) {
                        // Parents coming back from a wait go first: save what finished, give them
                        // the slots it freed, then claim what is left.
                        more = saveAndClaim(batch, false);
                        resumeWaiting();
                        more |= saveAndClaim(batch, true);
                    } else {
                        more = saveAndClaim(batch, claiming);
                    }
                } finally {
                    claimLock.unlock();
                }
                if (!more) {
                    fetchWake.await(Long.MAX_VALUE);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("node {}: claiming runs failed; retrying in a second", nodeId, e);
                try {
                    fetchWake.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void resumeWaiting() {
        List<Execution> waiting = new ArrayList<>();
        Execution e;
        while ((e = resumeRequests.poll()) != null) {
            waiting.add(e);
        }
        int free = maxConcurrentRuns - active.get();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < waiting.size() && i < free; i++) {
            ids.add(waiting.get(i).id());
        }
        Set<String> resumed = new java.util.HashSet<>();
        if (!ids.isEmpty()) {
            Instant now = clock.now();
            for (Run r : store.resume(nodeId, ids, now, now.plusMillis(leaseMs))) {
                resumed.add(r.id());
            }
        }
        for (Execution w : waiting) {
            if (resumed.contains(w.id())) {
                active.incrementAndGet();
                w.holdsSlot.set(true);
                w.resumed.complete(null);
            } else if (!w.settled.get()) {
                resumeRequests.add(w);  // no slot yet: try again on the next wake-up
            }
        }
    }

    private void launch(Run run) {
        RegisteredTask task = tasks.get(run.taskId());
        long deadline = Long.MAX_VALUE;
        if (task != null && task.definition().maxDuration() != null) {
            // Measured from the claim, not from this line: the attempt started when the store said so.
            deadline = run.updatedAt().toEpochMilli() + task.definition().maxDuration().toMillis();
        }
        Execution execution = new Execution(run, task, deadline);
        executions.put(run.id(), execution);
        if (deadline != Long.MAX_VALUE) {
            scheduleWake.signal();
        }
        Thread.ofVirtual().name("run-" + run.id()).start(() -> {
            execution.thread = Thread.currentThread();
            if (execution.cancelled) {
                settle(execution, null);
                return;
            }
            attempt(execution);
        });
    }

    // ------------------------------------------------------------------ one attempt

    private void attempt(Execution e) {
        Run run = e.run;
        if (e.task == null) {
            settle(e, failure(e, RunStatus.SYSTEM_FAILURE, AttemptOutcome.SYSTEM_FAILURE,
                    RunError.of("UnknownTaskError", "task " + run.taskId() + " is not registered on node " + nodeId), null));
            return;
        }
        TaskDefinition<Object> def = e.task.definition();
        RunContextImpl ctx = new RunContextImpl(e, this, mapper);
        Object payload;
        try {
            payload = e.task.readPayload(run.payload());
        } catch (Exception ex) {
            settle(e, failure(e, RunStatus.SYSTEM_FAILURE, AttemptOutcome.SYSTEM_FAILURE,
                    RunError.of("PayloadBindingError", "payload does not bind to " + def.payloadType() + ": " + ex.getMessage()), ctx));
            return;
        }
        Object output;
        try {
            if (def.onStart() != null) {
                def.onStart().onStart(payload, ctx);
            }
            output = def.handler().run(payload, ctx);
        } catch (Throwable t) {
            onHandlerError(e, ctx, payload, t);
            return;
        }
        String outputJson;
        try {
            outputJson = output == null ? "null" : mapper.writeValueAsString(output);
        } catch (Exception ex) {
            settle(e, failure(e, RunStatus.SYSTEM_FAILURE, AttemptOutcome.SYSTEM_FAILURE,
                    RunError.of("OutputSerializationError", "output does not serialize to JSON: " + ex.getMessage()), ctx));
            return;
        }
        if (e.cancelled) {
            settle(e, null);
            return;
        }
        if (def.onSuccess() != null) {
            try {
                def.onSuccess().onSuccess(payload, output, ctx);
            } catch (Exception hookError) {
                ctx.log(LogLine.Level.ERROR, "onSuccess hook failed: " + hookError);
            }
        }
        Transition.Builder done = Transition.of(run.id(), RunStatus.COMPLETED, RunStatus.EXECUTING)
                .heldBy(nodeId).atAttempt(run.attempts()).output(outputJson)
                .closeAttempt(AttemptOutcome.SUCCEEDED);
        withMetadata(done, ctx);
        settle(e, done.build());
    }

    private void onHandlerError(Execution e, RunContextImpl ctx, Object payload, Throwable t) {
        if (e.settled.get()) {
            return;  // timed out or canceled meanwhile: already settled
        }
        if (e.cancelled || t instanceof RunCancelledException) {
            settle(e, null);
            return;
        }
        TaskDefinition<Object> def = e.task.definition();
        Run run = e.run;
        RunError error = RunError.of(t);
        boolean crash = t instanceof Error;
        RetryDecision decision = RetryDecision.retry();
        if (t instanceof AbortTaskRunError) {
            decision = RetryDecision.skipRetrying();
        } else if (def.catchError() != null && !crash) {
            try {
                RetryDecision answer = def.catchError().catchError(payload, t, ctx);
                if (answer != null) {
                    decision = answer;
                }
            } catch (Exception hookError) {
                ctx.log(LogLine.Level.ERROR, "catchError hook failed: " + hookError);
            }
        }
        boolean attemptsLeft = run.attempts() < run.maxAttempts();
        if (attemptsLeft && !(decision instanceof RetryDecision.SkipRetrying)) {
            Instant now = clock.now();
            Instant retryAt = switch (decision) {
                case RetryDecision.RetryAt at -> at.at();
                case RetryDecision.RetryAfter after -> now.plus(after.delay());
                default -> now.plus(def.retry().delayAfter(run.attempts(), random));
            };
            Transition.Builder retry = Transition.of(run.id(), RunStatus.QUEUED, RunStatus.EXECUTING)
                    .heldBy(nodeId).atAttempt(run.attempts()).error(error).runAt(retryAt)
                    .closeAttempt(crash ? AttemptOutcome.CRASHED : AttemptOutcome.FAILED)
                    .detail("attempt " + run.attempts() + " failed, retry at " + retryAt + ": " + error.message());
            withMetadata(retry, ctx);
            settle(e, retry.build());
            return;
        }
        if (def.onFailure() != null) {
            try {
                def.onFailure().onFailure(payload, t, ctx);
            } catch (Exception hookError) {
                ctx.log(LogLine.Level.ERROR, "onFailure hook failed: " + hookError);
            }
        }
        settle(e, failure(e, crash ? RunStatus.CRASHED : RunStatus.FAILED,
                crash ? AttemptOutcome.CRASHED : AttemptOutcome.FAILED, error, ctx));
    }

    private Transition failure(Execution e, RunStatus status, AttemptOutcome outcome, RunError error, RunContextImpl ctx) {
        Transition.Builder b = Transition.of(e.run.id(), status, RunStatus.EXECUTING)
                .heldBy(nodeId).atAttempt(e.run.attempts()).error(error)
                .fingerprint(ErrorFingerprint.of(e.run.taskId(), error.type(), error.message()))
                .closeAttempt(outcome);
        if (ctx != null) {
            withMetadata(b, ctx);
        }
        return b.build();
    }

    private static void withMetadata(Transition.Builder b, RunContextImpl ctx) {
        String json = ctx.takeMetadataJson();
        if (json != null) {
            b.metadata(json);
        }
    }

    /** Hands a finished attempt to the completer, once; later outcomes of the same attempt are dropped. */
    private boolean settle(Execution e, Transition transition) {
        if (!e.settled.compareAndSet(false, true)) {
            return false;
        }
        // The execution stays registered (its lease renewed) until the completer has saved it.
        completions.add(new Completion(e, transition, e.drainLogs(), e.holdsSlot.getAndSet(false)));
        fetchWake.signal();
        return true;
    }

    // ------------------------------------------------------------------ saving finished attempts

    /**
     * Saves up to a batch of finished attempts and, when {@code claim}, claims as many runs as
     * there are free local slots (those just freed included) and starts them: the attempts' logs in
     * one store call, their transitions and the claim in one more ({@link RunStore#saveAndClaim},
     * one commit for a durable store). True when the batch or the claim was full (more may wait).
     */
    private boolean saveAndClaim(List<Completion> batch, boolean claim) {
        Completion next;
        while (batch.size() < COMPLETE_BATCH && (next = completions.poll()) != null) {
            batch.add(next);
        }
        boolean full = batch.size() == COMPLETE_BATCH;
        List<Transition> transitions = new ArrayList<>(batch.size());
        List<LogLine> logs = null;
        int released = 0;
        for (Completion c : batch) {
            if (c.transition() != null) {
                transitions.add(c.transition());
            }
            if (!c.logs().isEmpty()) {
                if (logs == null) {
                    logs = new ArrayList<>();
                }
                logs.addAll(c.logs());
            }
            if (c.releaseSlot()) {
                released++;
            }
        }
        int want = claim ? Math.min(CLAIM_BATCH, maxConcurrentRuns - active.get() + released) : 0;
        if (batch.isEmpty() && want <= 0) {
            return false;
        }
        List<Run> claimed = List.of();
        try {
            if (logs != null) {
                store.appendLogs(logs);
            }
            Instant now = clock.now();
            ClaimRequest request = want > 0
                    ? new ClaimRequest(nodeId, taskIds.get(), want, now, now.plusMillis(leaseMs)) : null;
            SavedAndClaimed result = store.saveAndClaim(transitions, now, request);
            boolean timers = false;
            for (TransitionResult r : result.applied()) {
                if (r.applied()) {
                    if (r.run().isFinal()) {
                        publishFinal(r.run());
                    } else if (r.run().status() == RunStatus.QUEUED) {
                        timers = true;
                    }
                }
            }
            if (timers) {
                scheduleWake.signal();
            }
            claimed = result.claimed();
        } catch (RuntimeException e) {
            LOG.error("node {}: saving {} finished attempts (or claiming after them) failed; what was not saved is"
                    + " rescued when its lease expires", nodeId, transitions.size(), e);
        }
        for (Completion c : batch) {
            executions.remove(c.execution().id(), c.execution());
        }
        batch.clear();
        if (released > 0) {
            active.addAndGet(-released);
        }
        if (!claimed.isEmpty()) {
            active.addAndGet(claimed.size());
            for (Run run : claimed) {
                launch(run);
            }
        }
        if (executions.isEmpty()) {
            idleWake.signal();
        }
        return full || (want > 0 && claimed.size() == want);
    }

    /** Tells whoever waits for this run (triggerAndWait) that it ended. */
    public void publishFinal(Run run) {
        CompletableFuture<Run> waiter = childWaiters.remove(run.id());
        if (waiter != null) {
            waiter.complete(run);
        }
    }

    // ------------------------------------------------------------------ scheduler

    private void scheduleLoop() {
        long heartbeatEvery = Math.max(1, leaseMs / 3);
        long nextHeartbeat = clock.millis() + heartbeatEvery;
        while (running) {
            try {
                long now = clock.millis();
                claimLock.lock();
                try {
                    if (now >= nextHeartbeat) {
                        heartbeat(now);
                        nextHeartbeat = now + heartbeatEvery;
                    }
                    rescue(now);
                } finally {
                    claimLock.unlock();
                }
                promoteDue(now);
                pruneFinished(now);
                long nearestDeadline = enforceDeadlines(now);
                fetchWake.signal();
                long next = Math.min(nextHeartbeat, nearestDeadline);
                Optional<Instant> due = store.nextDueAt();
                if (due.isPresent()) {
                    next = Math.min(next, dueMillis(due.get()));
                }
                if (next <= clock.millis()) {
                    continue;
                }
                scheduleWake.await(clock.realNanosUntil(next));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("node {}: scheduler pass failed; retrying in a second", nodeId, e);
                try {
                    scheduleWake.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /**
     * The first millisecond of the engine's clock at which {@code due} has come: rounded up, since
     * the passes run at whole milliseconds and a pass at the millisecond before a due instant that
     * falls inside it would find nothing due and go round again at once (a busy loop for up to a
     * millisecond on a real clock, for good on a {@link io.taskdeck.engine.ManualClock} left there).
     */
    static long dueMillis(Instant due) {
        long ms = due.toEpochMilli();
        return due.getNano() % 1_000_000 == 0 || ms == Long.MAX_VALUE ? ms : ms + 1;
    }

    private void promoteDue(long now) {
        List<Run> changed;
        do {
            changed = store.promoteDue(Instant.ofEpochMilli(now), MAINTENANCE_BATCH);
            for (Run r : changed) {
                if (r.isFinal()) {
                    publishFinal(r);
                }
            }
        } while (changed.size() == MAINTENANCE_BATCH);
    }

    /** The cleaner: the store's retention, applied a batch at a time. */
    private void pruneFinished(long now) {
        Instant at = Instant.ofEpochMilli(now);
        while (running && store.pruneFinished(at, MAINTENANCE_BATCH) == MAINTENANCE_BATCH) {
            // more to delete: keep going, a batch per store call so writers get the lock between
        }
    }

    private void heartbeat(long now) {
        if (!executions.isEmpty()) {
            renew(List.copyOf(executions.keySet()), now);
        }
        // Children that ended on another node: their end is in the store.
        for (String childId : List.copyOf(childWaiters.keySet())) {
            store.find(childId).filter(Run::isFinal).ifPresent(this::publishFinal);
        }
    }

    /** Extends this node's leases of {@code ids} to {@code now} plus the lease; stops the ones it no longer holds. */
    private void renew(List<String> ids, long now) {
        List<String> lost = store.renewLeases(nodeId, ids, Instant.ofEpochMilli(now + leaseMs));
        for (String id : lost) {
            Execution e = executions.get(id);
            if (e != null) {
                cancelLocal(e);
            }
        }
    }

    /**
     * Takes back the runs whose lease expired: requeued or crashed. Not the ones this node is
     * running right now (called under {@link #claimLock}, so {@link #executions} holds every run
     * it claimed): it is alive, only its heartbeat fell behind the clock (a clock that jumped, a
     * scheduler thread that started late or stalled), so it renews them instead. A run held in
     * the store under this node's id that it does not run (left by an earlier process with the
     * same id) is rescued like any other, and so are other nodes' runs.
     */
    private void rescue(long nowMs) {
        Instant now = Instant.ofEpochMilli(nowMs);
        List<Run> expired = store.expiredLeases(now, MAINTENANCE_BATCH);
        if (expired.isEmpty()) {
            return;
        }
        List<Transition> rescues = new ArrayList<>(expired.size());
        List<String> ours = new ArrayList<>();
        for (Run r : expired) {
            if (nodeId.equals(r.nodeId()) && executions.containsKey(r.id())) {
                ours.add(r.id());
                continue;
            }
            RunError error = RunError.of("LeaseExpiredError",
                    "node " + r.nodeId() + " stopped renewing its lease (last until " + r.leaseUntil() + ")");
            if (r.attempts() < r.maxAttempts()) {
                rescues.add(Transition.of(r.id(), RunStatus.QUEUED, r.status()).leaseExpiredBy(now)
                        .error(error).runAt(now).closeAttempt(AttemptOutcome.CRASHED)
                        .detail("rescued from lost node " + r.nodeId()).build());
            } else {
                rescues.add(Transition.of(r.id(), RunStatus.CRASHED, r.status()).leaseExpiredBy(now)
                        .error(error).fingerprint(ErrorFingerprint.of(r.taskId(), error.type(), "lease expired"))
                        .closeAttempt(AttemptOutcome.CRASHED).build());
            }
        }
        if (!ours.isEmpty()) {
            renew(ours, nowMs);
        }
        if (rescues.isEmpty()) {
            return;
        }
        for (TransitionResult result : store.apply(rescues, now)) {
            if (result.applied() && result.run().isFinal()) {
                publishFinal(result.run());
            }
        }
    }

    /** Times out attempts past their maxDuration; returns the nearest deadline still ahead. */
    private long enforceDeadlines(long now) {
        long nearest = Long.MAX_VALUE;
        for (Execution e : executions.values()) {
            long deadline = e.deadline;
            if (deadline == Long.MAX_VALUE || e.settled.get()) {
                continue;
            }
            if (deadline <= now) {
                Duration max = e.task.definition().maxDuration();
                RunError error = RunError.of("MaxDurationExceededError",
                        "run exceeded its maxDuration of " + max.toMillis() + " ms");
                Transition t = Transition.of(e.id(), RunStatus.TIMED_OUT, RunStatus.EXECUTING)
                        .heldBy(nodeId).atAttempt(e.run.attempts()).error(error)
                        .fingerprint(ErrorFingerprint.of(e.run.taskId(), error.type(), error.message()))
                        .closeAttempt(AttemptOutcome.TIMED_OUT).build();
                // Settle first: flagging the run as cancelled before would let its thread settle it
                // as a plain cancellation and the timeout would be lost.
                if (settle(e, t)) {
                    e.timedOut = true;
                    e.cancelled = true;
                    Thread thread = e.thread;
                    if (thread != null) {
                        thread.interrupt();
                    }
                }
            } else {
                nearest = Math.min(nearest, deadline);
            }
        }
        return nearest;
    }

    // ------------------------------------------------------------------ cancel, wait, metadata

    /** The run was canceled in the store: stop its local attempt, if any. */
    public void cancelled(String runId) {
        Execution e = executions.get(runId);
        if (e != null) {
            cancelLocal(e);
        }
    }

    private void cancelLocal(Execution e) {
        e.cancelled = true;
        settle(e, null);
        Thread t = e.thread;
        if (t != null) {
            t.interrupt();
        }
    }

    RunOutcome waitForChild(Execution e, RunContextImpl ctx, String childId) throws InterruptedException {
        CompletableFuture<Run> done = childWaiters.computeIfAbsent(childId, id -> new CompletableFuture<>());
        store.find(childId).filter(Run::isFinal).ifPresent(this::publishFinal);
        if (!done.isDone()) {
            suspend(e, ctx);
            try {
                done.get();
            } catch (ExecutionException ex) {
                throw new IllegalStateException(ex.getCause());
            } catch (InterruptedException ex) {
                childWaiters.remove(childId, done);
                if (e.cancelled) {
                    throw new RunCancelledException(e.id());
                }
                throw ex;
            }
            resume(e);
        }
        Run child = done.getNow(null);
        return new RunOutcome(child.id(), child.status(), child.output(), child.error());
    }

    private void suspend(Execution e, RunContextImpl ctx) {
        Transition.Builder wait = Transition.of(e.id(), RunStatus.WAITING, RunStatus.EXECUTING)
                .heldBy(nodeId).atAttempt(e.run.attempts()).detail("waiting for a child run");
        withMetadata(wait, ctx);
        TransitionResult result = store.apply(List.of(wait.build()), clock.now()).getFirst();
        if (!result.applied()) {
            e.cancelled = true;
            throw new RunCancelledException(e.id());
        }
        long deadline = e.deadline;
        if (deadline != Long.MAX_VALUE) {
            e.remainingWhileWaiting = Math.max(0, deadline - clock.millis());
            e.deadline = Long.MAX_VALUE;
        }
        if (e.holdsSlot.getAndSet(false)) {
            active.decrementAndGet();
        }
        fetchWake.signal();
    }

    private void resume(Execution e) throws InterruptedException {
        CompletableFuture<Void> resumed = new CompletableFuture<>();
        e.resumed = resumed;
        resumeRequests.add(e);
        fetchWake.signal();
        try {
            resumed.get();
        } catch (ExecutionException ex) {
            throw new IllegalStateException(ex.getCause());
        } catch (InterruptedException ex) {
            if (e.cancelled) {
                throw new RunCancelledException(e.id());
            }
            throw ex;
        }
        if (e.remainingWhileWaiting > 0 || e.task.definition().maxDuration() != null) {
            e.deadline = clock.millis() + e.remainingWhileWaiting;
            scheduleWake.signal();
        }
    }

    void flushNow(Execution e, String metadataJson) {
        List<LogLine> logs = e.drainLogs();
        if (!logs.isEmpty()) {
            store.appendLogs(logs);
        }
        if (metadataJson != null) {
            store.apply(List.of(Transition.of(e.id(), null, RunStatus.EXECUTING).heldBy(nodeId)
                    .metadata(metadataJson).detail("metadata updated").build()), clock.now());
        }
    }
}
