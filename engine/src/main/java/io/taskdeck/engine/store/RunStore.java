package io.taskdeck.engine.store;

import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.DeadLetterGroup;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.LogLine;
import io.taskdeck.engine.QueueState;
import io.taskdeck.engine.QueueUpdate;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunPage;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStatus;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The source of truth for runs, queues and the journal. The engine keeps no state a store does
 * not also have; several engines (nodes) may share one store. See engine/STORE.md for the full
 * contract; {@code RunStoreContract} in the test-jar checks it.
 *
 * <p>Every write that changes a run appends its journal event in the same atomic step, with the
 * next gap-free sequence number. Batched methods take and return lists in the same order.
 * Times come in as arguments: a store never reads a clock.
 */
public interface RunStore extends AutoCloseable {

    // ---- queues ----

    /**
     * Registers a queue, or updates its default limits; an override and the paused flag are kept.
     */
    QueueState ensureQueue(String name, int concurrencyLimit, int concurrencyKeyLimit, Instant now);

    /** Overrides or resets the limit, pauses or resumes; journals a QUEUE_UPDATED event. */
    QueueState updateQueue(String name, QueueUpdate update, Instant now);

    Optional<QueueState> queue(String name);

    List<QueueState> queues();

    // ---- run writes ----

    /**
     * Records new runs (status DELAYED or QUEUED) all at once or none. A run whose
     * (taskId, idempotencyKey) has a live key (expiry after {@code now}) is not inserted: the
     * result holds the existing run, cached. Two items of one batch with the same key: the
     * second gets the first, cached.
     */
    List<InsertResult> insert(List<Run> runs, Instant now);

    /**
     * Moves due QUEUED runs to EXECUTING for one node, at most {@code max}, in order of
     * {@link Run#orderKey()} then id within a queue, never beyond a queue's effective limit
     * (counting every node's EXECUTING runs) nor a key's limit (counting EXECUTING and
     * retry-pending runs of the key), never from a paused queue. Each claimed run gets
     * attempts + 1, a RUNNING attempt record, the node and lease, and a journal event.
     */
    List<Run> claim(ClaimRequest request);

    /**
     * Moves WAITING runs held by this node back to EXECUTING where their queue has a free slot;
     * returns those resumed.
     */
    List<Run> resume(String nodeId, List<String> runIds, Instant now, Instant leaseUntil);

    /** Applies each transition independently (each atomic with its event); same order out. */
    List<TransitionResult> apply(List<Transition> transitions, Instant now);

    /**
     * {@link #apply} then {@link #claim}, the claim seeing the slots the transitions freed: what a
     * node does after a batch of attempts finished. A durable store may do both in one commit
     * instead of two; the transitions are saved even when the claim fails (that failure is then
     * thrown). Empty transitions or a null claim skip that part.
     */
    default SavedAndClaimed saveAndClaim(List<Transition> transitions, Instant now, ClaimRequest claim) {
        List<TransitionResult> applied = transitions.isEmpty() ? List.of() : apply(transitions, now);
        List<Run> claimed = claim == null ? List.of() : claim(claim);
        return new SavedAndClaimed(applied, claimed);
    }

    /**
     * Due housekeeping, at most {@code max} runs: DELAYED runs whose runAt has come become
     * QUEUED; DELAYED or QUEUED runs never started whose expiresAt has come become EXPIRED.
     * Returns the runs changed.
     */
    List<Run> promoteDue(Instant now, int max);

    /**
     * The earliest instant at which something becomes due: a delay end, a retry timer, a TTL,
     * a lease that has ended (the first instant after its end: {@link #expiredLeases} names the
     * leases that ended before now, so at the end itself there is nothing to rescue yet). Empty
     * when nothing is scheduled.
     */
    Optional<Instant> nextDueAt();

    /** EXECUTING or WAITING runs whose lease ended before {@code now}; nothing changes. */
    List<Run> expiredLeases(Instant now, int max);

    /**
     * Extends the lease of runs this node holds (EXECUTING or WAITING). Returns the ids it no
     * longer holds (canceled, rescued by another node): the node should stop them.
     */
    List<String> renewLeases(String nodeId, Collection<String> runIds, Instant leaseUntil);

    void appendLogs(List<LogLine> lines);

    /**
     * Applies the store's retention to finished runs: deletes, oldest first and at most
     * {@code max}, those the store no longer keeps (older than its retention, or beyond its cap).
     * Never deletes a pending, executing or waiting run, nor an open dead letter. Returns how many
     * went. The engine calls it on each scheduler pass; a store without retention keeps everything.
     */
    default int pruneFinished(Instant now, int max) {
        return 0;
    }

    /** Forgets a live idempotency key so the next trigger with it makes a new run. */
    boolean resetIdempotencyKey(String taskId, String key);

    // ---- reads ----

    Optional<Run> find(String runId);

    RunPage list(RunQuery query);

    /** Direct children, oldest first. */
    List<Run> children(String parentId);

    /** Attempts of a run, first first. */
    List<Attempt> attempts(String runId);

    List<LogLine> logs(String runId);

    /** Open dead letters grouped by fingerprint, most recent group first; taskId null for all. */
    List<DeadLetterGroup> deadLetterGroups(String taskId);

    /** Run counts by status, for one queue and/or task (null: all). */
    Map<RunStatus, Long> countByStatus(String queue, String taskId);

    /** Attempts that ended in [from, to), for stats; queue/task null for all. */
    List<Attempt> attemptsEndedBetween(Instant from, Instant to, String queue, String taskId, int max);

    // ---- journal ----

    /** Events with seq &gt; afterSeq, in seq order, at most max. */
    List<JournalEvent> readJournal(long afterSeq, int max);

    /** The last assigned sequence number, 0 when nothing was ever journaled. */
    long lastSeq();

    /** The oldest retained sequence number; lastSeq() + 1 when none is retained. */
    long oldestSeq();

    /** The first seq whose event is at or after {@code at} (lastSeq() + 1 when none). */
    long seqAt(Instant at);

    /** The retained events of one run, in seq order. */
    List<JournalEvent> runEvents(String runId);

    // ---- nodes ----

    /**
     * The nodes that share this store, as its registry sees them (live, lost and stopped). A
     * store that only one engine uses keeps no registry and answers empty: that engine is the node.
     */
    default List<NodeInfo> nodes() {
        return List.of();
    }

    // ---- wake-ups ----

    /**
     * Calls the listener (on the writer's thread, so it must be quick) after any write that may
     * have made work claimable: new runs, runs back to QUEUED, freed slots, queue changes.
     * For a shared store this also covers other nodes' writes (LISTEN/NOTIFY).
     */
    AutoCloseable onWork(Runnable listener);

    /**
     * Calls the listener (on the writer's thread, so it must be quick) after any write that
     * appended journal events, this node's or (for a shared store) another node's. Journal
     * subscribers use it to wake up; they then read with {@link #readJournal}.
     */
    AutoCloseable onAppend(Runnable listener);

    @Override
    void close();
}
