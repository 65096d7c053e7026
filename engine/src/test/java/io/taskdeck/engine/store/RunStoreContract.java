package io.taskdeck.engine.store;

import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.DeadLetterGroup;
import io.taskdeck.engine.DeadLetterState;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.LogLine;
import io.taskdeck.engine.QueueState;
import io.taskdeck.engine.QueueUpdate;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunPage;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The conformance suite every {@link RunStore} passes. A store module subclasses it and
 * provides {@link #createStore()}; each test gets a fresh, empty store.
 */
public abstract class RunStoreContract {

    protected static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    protected static final String NODE = "node-a";
    protected static final Set<String> ALL_TASKS = Set.of("t1", "t2");

    protected RunStore store;
    private int sequence;

    /** A fresh, empty store. */
    protected abstract RunStore createStore();

    @BeforeEach
    void openStore() {
        store = createStore();
        store.ensureQueue("q", 10, 1, T0);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** A queued run of task t1 in queue q, created at T0 + n ms so ids and order agree. */
    protected Run.Builder run() {
        int n = ++sequence;
        return Run.builder(String.format("run_%08d", n), "t1", "q", T0.plusMillis(n)).maxAttempts(3);
    }

    protected Run insert(Run.Builder builder) {
        return store.insert(List.of(builder.build()), T0).getFirst().run();
    }

    protected List<Run> claim(int max, Instant now) {
        return store.claim(new ClaimRequest(NODE, ALL_TASKS, max, now, now.plusSeconds(30)));
    }

    protected static List<String> ids(List<Run> runs) {
        return runs.stream().map(Run::id).toList();
    }

    protected TransitionResult complete(Run executing, Instant now) {
        return store.apply(List.of(Transition.of(executing.id(), RunStatus.COMPLETED, RunStatus.EXECUTING)
                .heldBy(NODE).atAttempt(executing.attempts()).output("{\"ok\":true}")
                .closeAttempt(AttemptOutcome.SUCCEEDED).build()), now).getFirst();
    }

    // ------------------------------------------------------------------ insert and journal

    @Test
    void insertedRunCanBeFoundAndIsJournaled() {
        Run r = insert(run().payload("{\"a\":1}").tags(List.of("x")));

        assertThat(store.find(r.id())).contains(r);
        assertThat(store.lastSeq()).isEqualTo(1);
        JournalEvent e = store.readJournal(0, 10).getFirst();
        assertThat(e.seq()).isEqualTo(1);
        assertThat(e.kind()).isEqualTo(JournalEvent.Kind.RUN_TRIGGERED);
        assertThat(e.runId()).isEqualTo(r.id());
        assertThat(e.to()).isEqualTo(RunStatus.QUEUED);
    }

    @Test
    void batchInsertIsAllOrNothing() {
        Run existing = insert(run());
        List<Run> batch = List.of(run().build(), existing.toBuilder().build());

        assertThatThrownBy(() -> store.insert(batch, T0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(existing.id());
        assertThat(store.find(batch.getFirst().id())).isEmpty();
        assertThat(store.lastSeq()).isEqualTo(1);
    }

    @Test
    void journalSequenceIsGapFreeAcrossKindsOfWrite() {
        Run a = insert(run());
        insert(run().status(RunStatus.DELAYED).runAt(at(5)));
        store.updateQueue("q", QueueUpdate.pause(), at(1));
        store.updateQueue("q", QueueUpdate.resume(), at(1));
        Run claimed = claim(1, at(2)).getFirst();
        complete(claimed, at(3));
        store.promoteDue(at(6), 100);

        List<JournalEvent> events = store.readJournal(0, 100);
        assertThat(events).extracting(JournalEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(store.lastSeq()).isEqualTo(7);
        assertThat(store.readJournal(5, 100)).extracting(JournalEvent::seq).containsExactly(6L, 7L);
        assertThat(store.readJournal(5, 1)).extracting(JournalEvent::seq).containsExactly(6L);
        assertThat(store.runEvents(a.id())).extracting(JournalEvent::to)
                .containsExactly(RunStatus.QUEUED, RunStatus.EXECUTING, RunStatus.COMPLETED);
    }

    @Test
    void seqAtFindsTheFirstEventAtOrAfterAnInstant() {
        insert(run());
        Run c = claim(1, at(10)).getFirst();
        complete(c, at(20));

        assertThat(store.seqAt(T0)).isEqualTo(1);
        assertThat(store.seqAt(at(5))).isEqualTo(2);
        assertThat(store.seqAt(at(20))).isEqualTo(3);
        assertThat(store.seqAt(at(21))).isEqualTo(4);
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void liveIdempotencyKeyReturnsTheExistingRunCached() {
        Run first = insert(run().idempotencyKey("k").idempotencyKeyExpiresAt(at(60)));
        List<InsertResult> again = store.insert(List.of(run().idempotencyKey("k").idempotencyKeyExpiresAt(at(60)).build()), at(30));

        assertThat(again.getFirst().cached()).isTrue();
        assertThat(again.getFirst().run().id()).isEqualTo(first.id());
        assertThat(store.list(RunQuery.all()).runs()).hasSize(1);
    }

    @Test
    void expiredIdempotencyKeyMakesANewRun() {
        insert(run().idempotencyKey("k").idempotencyKeyExpiresAt(at(60)));
        InsertResult later = store.insert(List.of(run().idempotencyKey("k").build()), at(61)).getFirst();

        assertThat(later.cached()).isFalse();
        assertThat(store.list(RunQuery.all()).runs()).hasSize(2);
    }

    @Test
    void idempotencyKeysAreScopedByTaskAndCanBeReset() {
        Run first = insert(run().idempotencyKey("k"));
        InsertResult otherTask = store.insert(List.of(run().taskId("t2").idempotencyKey("k").build()), T0).getFirst();
        assertThat(otherTask.cached()).isFalse();

        assertThat(store.resetIdempotencyKey("t1", "k")).isTrue();
        InsertResult afterReset = store.insert(List.of(run().idempotencyKey("k").build()), T0).getFirst();
        assertThat(afterReset.cached()).isFalse();
        assertThat(afterReset.run().id()).isNotEqualTo(first.id());
    }

    @Test
    void sameKeyTwiceInOneBatchYieldsOneRun() {
        List<InsertResult> results = store.insert(List.of(run().idempotencyKey("k").build(), run().idempotencyKey("k").build()), T0);

        assertThat(results.get(0).cached()).isFalse();
        assertThat(results.get(1).cached()).isTrue();
        assertThat(results.get(1).run().id()).isEqualTo(results.get(0).run().id());
    }

    // ------------------------------------------------------------------ claims and limits

    @Test
    void claimNeverExceedsTheQueueLimitOrTheRequestedCount() {
        store.ensureQueue("q", 3, 1, T0);
        for (int i = 0; i < 10; i++) {
            insert(run());
        }

        assertThat(claim(2, at(1))).hasSize(2);
        assertThat(claim(5, at(1))).hasSize(1);
        assertThat(claim(5, at(1))).isEmpty();
        assertThat(store.queue("q").orElseThrow().executing()).isEqualTo(3);
    }

    @Test
    void saveAndClaimSavesFirstSoTheClaimTakesTheSlotsJustFreed() {
        store.ensureQueue("q", 2, 1, T0);
        Run a = insert(run());
        Run b = insert(run());
        Run c = insert(run());
        Run d = insert(run());
        List<Run> running = claim(5, at(1));
        assertThat(ids(running)).containsExactly(a.id(), b.id());

        List<Transition> done = running.stream().map(r -> Transition.of(r.id(), RunStatus.COMPLETED, RunStatus.EXECUTING)
                .heldBy(NODE).atAttempt(r.attempts()).output("null").closeAttempt(AttemptOutcome.SUCCEEDED).build()).toList();
        SavedAndClaimed result = store.saveAndClaim(done, at(2),
                new ClaimRequest(NODE, ALL_TASKS, 5, at(2), at(32)));

        assertThat(result.applied()).allMatch(TransitionResult::applied);
        assertThat(result.applied()).extracting(r -> r.run().status()).containsOnly(RunStatus.COMPLETED);
        assertThat(ids(result.claimed())).containsExactly(c.id(), d.id());
        assertThat(store.find(a.id()).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(store.queue("q").orElseThrow().executing()).isEqualTo(2);
        // The journal has the completions before the claims.
        List<JournalEvent> events = store.readJournal(0, 100);
        List<String> order = events.subList(events.size() - 4, events.size()).stream()
                .map(e -> e.runId() + ":" + e.to()).toList();
        assertThat(order).containsExactly(a.id() + ":COMPLETED", b.id() + ":COMPLETED",
                c.id() + ":EXECUTING", d.id() + ":EXECUTING");

        // Either part may be missing.
        assertThat(store.saveAndClaim(List.of(), at(3), null).claimed()).isEmpty();
    }

    @Test
    void claimStartsAnAttemptAndHoldsALease() {
        Run r = insert(run());
        Run c = claim(1, at(4)).getFirst();

        assertThat(c.id()).isEqualTo(r.id());
        assertThat(c.status()).isEqualTo(RunStatus.EXECUTING);
        assertThat(c.attempts()).isEqualTo(1);
        assertThat(c.nodeId()).isEqualTo(NODE);
        assertThat(c.leaseUntil()).isEqualTo(at(34));
        assertThat(c.startedAt()).isEqualTo(at(4));
        var attempt = store.attempts(r.id()).getFirst();
        assertThat(attempt.number()).isEqualTo(1);
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.RUNNING);
        assertThat(attempt.waitMs()).isEqualTo(Duration.between(r.createdAt(), at(4)).toMillis());
    }

    @Test
    void claimFollowsTriggerOrderWithPriorityAsHeadStart() {
        Run a = insert(run());
        Run b = insert(run());
        Run urgent = insert(run().priority(10));

        assertThat(ids(claim(3, at(1)))).containsExactly(urgent.id(), a.id(), b.id());
    }

    @Test
    void pausedQueueIsNotClaimedUntilResumed() {
        insert(run());
        store.updateQueue("q", QueueUpdate.pause(), T0);
        assertThat(claim(5, at(1))).isEmpty();
        assertThat(store.queue("q").orElseThrow().paused()).isTrue();

        store.updateQueue("q", QueueUpdate.resume(), T0);
        assertThat(claim(5, at(1))).hasSize(1);
    }

    @Test
    void limitOverrideTakesEffectAtOnceAndResetRestoresTheDefault() {
        store.ensureQueue("q", 1, 1, T0);
        for (int i = 0; i < 5; i++) {
            insert(run());
        }
        store.updateQueue("q", QueueUpdate.overrideLimit(3), T0);
        assertThat(claim(10, at(1))).hasSize(3);
        QueueState q = store.queue("q").orElseThrow();
        assertThat(q.effectiveLimit()).isEqualTo(3);
        assertThat(q.concurrencyLimitOverride()).isEqualTo(3);

        store.updateQueue("q", QueueUpdate.resetLimit(), T0);
        assertThat(store.queue("q").orElseThrow().effectiveLimit()).isEqualTo(1);
        assertThat(claim(10, at(1))).isEmpty();
    }

    @Test
    void updatingAnUnknownQueueFails() {
        assertThatThrownBy(() -> store.updateQueue("nope", QueueUpdate.pause(), T0))
                .hasMessageContaining("nope");
    }

    @Test
    void runsOfOneConcurrencyKeyRunOneAtATimeInOrder() {
        Run k1 = insert(run().concurrencyKey("acct-1"));
        Run k2 = insert(run().concurrencyKey("acct-1"));
        Run other = insert(run().concurrencyKey("acct-2"));

        List<Run> first = claim(10, at(1));
        assertThat(ids(first)).containsExactlyInAnyOrder(k1.id(), other.id());

        complete(first.stream().filter(r -> r.id().equals(k1.id())).findFirst().orElseThrow(), at(2));
        assertThat(ids(claim(10, at(3)))).containsExactly(k2.id());
    }

    @Test
    void concurrencyKeyLimitAboveOneAllowsThatManyPerKey() {
        store.ensureQueue("q", 10, 2, T0);
        for (int i = 0; i < 4; i++) {
            insert(run().concurrencyKey("k"));
        }
        assertThat(claim(10, at(1))).hasSize(2);
    }

    @Test
    void keyedRunWaitingForItsRetryKeepsItsKeySlot() {
        Run first = insert(run().concurrencyKey("k"));
        Run second = insert(run().concurrencyKey("k"));
        Run c = claim(10, at(1)).getFirst();
        assertThat(c.id()).isEqualTo(first.id());

        TransitionResult retry = store.apply(List.of(Transition.of(c.id(), RunStatus.QUEUED, RunStatus.EXECUTING)
                .heldBy(NODE).atAttempt(1).error(RunError.of("Boom", "boom")).runAt(at(10))
                .closeAttempt(AttemptOutcome.FAILED).build()), at(2)).getFirst();
        assertThat(retry.applied()).isTrue();
        assertThat(retry.run().isRetryPending()).isTrue();

        assertThat(claim(10, at(5))).isEmpty();
        assertThat(store.nextDueAt()).contains(at(10));
        List<Run> atRetry = claim(10, at(10));
        assertThat(ids(atRetry)).containsExactly(first.id());
        assertThat(atRetry.getFirst().attempts()).isEqualTo(2);

        complete(atRetry.getFirst(), at(11));
        assertThat(ids(claim(10, at(11)))).containsExactly(second.id());
    }

    @Test
    void claimLeavesRunsOfUnknownTasksToOtherNodes() {
        Run mine = insert(run());
        Run theirs = insert(run().taskId("other"));

        List<Run> claimed = store.claim(new ClaimRequest(NODE, Set.of("t1"), 10, at(1), at(31)));
        assertThat(ids(claimed)).containsExactly(mine.id());
        List<Run> byOther = store.claim(new ClaimRequest("node-b", Set.of("other"), 10, at(1), at(31)));
        assertThat(ids(byOther)).containsExactly(theirs.id());
    }

    @Test
    void slotIsFreedWhenARunFinishes() {
        store.ensureQueue("q", 1, 1, T0);
        insert(run());
        Run b = insert(run());
        Run a = claim(10, at(1)).getFirst();
        assertThat(claim(10, at(1))).isEmpty();

        complete(a, at(2));
        assertThat(ids(claim(10, at(2)))).containsExactly(b.id());
    }

    // ------------------------------------------------------------------ transitions

    @Test
    void staleTransitionIsRefusedAndChangesNothing() {
        insert(run());
        Run c = claim(1, at(1)).getFirst();
        long seq = store.lastSeq();

        TransitionResult wrongNode = store.apply(List.of(Transition.of(c.id(), RunStatus.COMPLETED, RunStatus.EXECUTING)
                .heldBy("node-b").build()), at(2)).getFirst();
        TransitionResult wrongAttempt = store.apply(List.of(Transition.of(c.id(), RunStatus.COMPLETED, RunStatus.EXECUTING)
                .atAttempt(2).build()), at(2)).getFirst();
        TransitionResult unknown = store.apply(List.of(Transition.of("run_missing", RunStatus.CANCELED, RunStatus.QUEUED)
                .build()), at(2)).getFirst();

        assertThat(wrongNode.applied()).isFalse();
        assertThat(wrongNode.run().status()).isEqualTo(RunStatus.EXECUTING);
        assertThat(wrongAttempt.applied()).isFalse();
        assertThat(unknown.applied()).isFalse();
        assertThat(unknown.run()).isNull();
        assertThat(store.lastSeq()).isEqualTo(seq);
    }

    @Test
    void disallowedTransitionCannotBeBuilt() {
        assertThatThrownBy(() -> Transition.of("r", RunStatus.QUEUED, RunStatus.COMPLETED).build())
                .hasMessageContaining("COMPLETED -> QUEUED");
        assertThatThrownBy(() -> Transition.of("r", RunStatus.EXECUTING, RunStatus.QUEUED).build())
                .hasMessageContaining("claim");
    }

    @Test
    void completionClosesTheAttemptAndReleasesTheLease() {
        insert(run());
        Run c = claim(1, at(1)).getFirst();
        Run done = complete(c, at(3)).run();

        assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(done.output()).isEqualTo("{\"ok\":true}");
        assertThat(done.completedAt()).isEqualTo(at(3));
        assertThat(done.nodeId()).isNull();
        assertThat(done.leaseUntil()).isNull();
        var attempt = store.attempts(c.id()).getFirst();
        assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
        assertThat(attempt.durationMs()).isEqualTo(2000);
        assertThat(store.attemptsEndedBetween(at(0), at(10), "q", null, 10)).hasSize(1);
    }

    @Test
    void finalFailureOpensADeadLetterThatRequeueResolves() {
        insert(run());
        Run c = claim(1, at(1)).getFirst();
        Run failed = store.apply(List.of(Transition.of(c.id(), RunStatus.FAILED, RunStatus.EXECUTING)
                .error(RunError.of("Declined", "card declined")).fingerprint("t1:declined")
                .closeAttempt(AttemptOutcome.FAILED).build()), at(2)).getFirst().run();
        assertThat(failed.deadLetter()).isEqualTo(DeadLetterState.OPEN);

        List<DeadLetterGroup> groups = store.deadLetterGroups(null);
        assertThat(groups).singleElement().satisfies(g -> {
            assertThat(g.fingerprint()).isEqualTo("t1:declined");
            assertThat(g.count()).isEqualTo(1);
            assertThat(g.sampleRunId()).isEqualTo(c.id());
            assertThat(g.sampleMessage()).isEqualTo("card declined");
        });

        Run requeued = store.apply(List.of(Transition.of(c.id(), RunStatus.QUEUED, RunStatus.FAILED)
                .maxAttempts(c.attempts() + 3).build()), at(3)).getFirst().run();
        assertThat(requeued.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(requeued.deadLetter()).isEqualTo(DeadLetterState.REQUEUED);
        assertThat(requeued.error()).isNull();
        assertThat(requeued.isRetryPending()).isFalse();
        assertThat(store.deadLetterGroups(null)).isEmpty();
        Run again = claim(1, at(4)).getFirst();
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(store.attempts(c.id())).hasSize(2);
    }

    // ------------------------------------------------------------------ due work

    @Test
    void delayedRunBecomesQueuedWhenDue() {
        Run r = insert(run().status(RunStatus.DELAYED).runAt(at(60)));
        assertThat(store.nextDueAt()).contains(at(60));
        assertThat(store.promoteDue(at(59), 100)).isEmpty();
        assertThat(claim(1, at(59))).isEmpty();

        List<Run> promoted = store.promoteDue(at(60), 100);
        assertThat(ids(promoted)).containsExactly(r.id());
        assertThat(store.find(r.id()).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);
        assertThat(ids(claim(1, at(60)))).containsExactly(r.id());
    }

    @Test
    void pendingRunPastItsTtlExpires() {
        Run queued = insert(run().expiresAt(at(10)));
        Run delayed = insert(run().status(RunStatus.DELAYED).runAt(at(5)).expiresAt(at(10)));
        store.updateQueue("q", QueueUpdate.pause(), T0);

        store.promoteDue(at(10), 100);

        assertThat(store.find(queued.id()).orElseThrow().status()).isEqualTo(RunStatus.EXPIRED);
        assertThat(store.find(delayed.id()).orElseThrow().status()).isEqualTo(RunStatus.EXPIRED);
        store.updateQueue("q", QueueUpdate.resume(), T0);
        assertThat(claim(10, at(11))).isEmpty();
    }

    @Test
    void startedRunDoesNotExpire() {
        Run r = insert(run().expiresAt(at(10)));
        claim(1, at(1));
        store.promoteDue(at(11), 100);
        assertThat(store.find(r.id()).orElseThrow().status()).isEqualTo(RunStatus.EXECUTING);
    }

    // ------------------------------------------------------------------ leases

    @Test
    void leasesAreRenewedByTheHolderAndExpireOtherwise() {
        insert(run());
        insert(run());
        List<Run> claimed = claim(2, at(0));
        Run kept = claimed.get(0);
        Run lost = claimed.get(1);

        assertThat(store.renewLeases(NODE, List.of(kept.id()), at(60))).isEmpty();
        assertThat(store.renewLeases("node-b", List.of(lost.id()), at(60))).containsExactly(lost.id());

        assertThat(ids(store.expiredLeases(at(31), 10))).containsExactly(lost.id());
        TransitionResult rescue = store.apply(List.of(Transition.of(lost.id(), RunStatus.QUEUED, RunStatus.EXECUTING)
                .leaseExpiredBy(at(31)).error(RunError.of("LeaseExpired", "node lost")).build()), at(31)).getFirst();
        assertThat(rescue.applied()).isTrue();
        assertThat(store.renewLeases(NODE, List.of(lost.id()), at(90))).containsExactly(lost.id());

        TransitionResult tooEarly = store.apply(List.of(Transition.of(kept.id(), RunStatus.QUEUED, RunStatus.EXECUTING)
                .leaseExpiredBy(at(31)).build()), at(31)).getFirst();
        assertThat(tooEarly.applied()).isFalse();
    }

    @Test
    void aLeaseIsDueWhenItCountsAsExpiredNotBeforeSoTheSchedulerFindsItsRescue() {
        insert(run());
        // A lease end off the millisecond, then one on it: due just after each, never at it.
        Run held = store.claim(new ClaimRequest(NODE, ALL_TASKS, 1, at(0), at(30).plusNanos(500_000))).getFirst();
        for (Instant end : List.of(held.leaseUntil(), at(40))) {
            if (!end.equals(held.leaseUntil())) {
                assertThat(store.renewLeases(NODE, List.of(held.id()), end)).isEmpty();
            }
            Instant due = store.nextDueAt().orElseThrow();
            assertThat(due).isAfter(end).isBeforeOrEqualTo(end.plusMillis(1));
            assertThat(store.expiredLeases(end, 10)).as("not over at its end").isEmpty();
            assertThat(ids(store.expiredLeases(due, 10))).containsExactly(held.id());
        }
    }

    @Test
    void waitingRunGivesItsSlotBackAndResumesWhenOneIsFree() {
        store.ensureQueue("q", 1, 1, T0);
        insert(run());
        Run child = insert(run());
        Run parent = claim(1, at(1)).getFirst();
        store.apply(List.of(Transition.of(parent.id(), RunStatus.WAITING, RunStatus.EXECUTING).heldBy(NODE).build()), at(2));

        Run runningChild = claim(1, at(2)).getFirst();
        assertThat(runningChild.id()).isEqualTo(child.id());
        assertThat(store.resume(NODE, List.of(parent.id()), at(3), at(33))).isEmpty();

        complete(runningChild, at(4));
        List<Run> resumed = store.resume(NODE, List.of(parent.id()), at(4), at(34));
        assertThat(ids(resumed)).containsExactly(parent.id());
        assertThat(resumed.getFirst().attempts()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ queries

    @Test
    void listPagesNewestFirstAndStaysStableWhileRunsArrive() {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            runs.add(insert(run()));
        }
        RunPage first = store.list(RunQuery.builder().limit(2).build());
        assertThat(ids(first.runs())).containsExactly(runs.get(4).id(), runs.get(3).id());

        insert(run());
        RunPage second = store.list(RunQuery.builder().limit(2).cursor(first.nextCursor()).build());
        assertThat(ids(second.runs())).containsExactly(runs.get(2).id(), runs.get(1).id());
        RunPage third = store.list(RunQuery.builder().limit(2).cursor(second.nextCursor()).build());
        assertThat(ids(third.runs())).containsExactly(runs.get(0).id());
        assertThat(third.hasMore()).isFalse();
    }

    @Test
    void listFiltersByStatusTaskQueueTagAndKeys() {
        store.ensureQueue("other", 10, 1, T0);
        Run tagged = insert(run().tags(List.of("vip")).concurrencyKey("c1").idempotencyKey("i1"));
        Run t2 = insert(run().taskId("t2").queue("other"));
        Run delayed = insert(run().status(RunStatus.DELAYED).runAt(at(100)));

        assertThat(ids(store.list(RunQuery.builder().tag("vip").build()).runs())).containsExactly(tagged.id());
        assertThat(ids(store.list(RunQuery.builder().taskId("t2").build()).runs())).containsExactly(t2.id());
        assertThat(ids(store.list(RunQuery.builder().queue("other").build()).runs())).containsExactly(t2.id());
        assertThat(ids(store.list(RunQuery.builder().status(RunStatus.DELAYED, RunStatus.EXPIRED).build()).runs()))
                .containsExactly(delayed.id());
        assertThat(ids(store.list(RunQuery.builder().concurrencyKey("c1").build()).runs())).containsExactly(tagged.id());
        assertThat(ids(store.list(RunQuery.builder().idempotencyKey("i1").build()).runs())).containsExactly(tagged.id());
        assertThat(ids(store.list(RunQuery.builder().createdFrom(t2.createdAt()).createdTo(delayed.createdAt()).build()).runs()))
                .containsExactly(t2.id());
        assertThat(ids(store.list(RunQuery.builder().oldestFirst(true).build()).runs()))
                .containsExactly(tagged.id(), t2.id(), delayed.id());
    }

    @Test
    void childrenLogsAndCountsAreQueryable() {
        Run parent = insert(run());
        Run child = insert(run().parentId(parent.id()).rootId(parent.id()));
        store.appendLogs(List.of(new LogLine(child.id(), 1, at(1), LogLine.Level.INFO, "hello")));

        assertThat(ids(store.children(parent.id()))).containsExactly(child.id());
        assertThat(store.logs(child.id())).extracting(LogLine::message).containsExactly("hello");
        assertThat(store.countByStatus("q", null).get(RunStatus.QUEUED)).isEqualTo(2);
        assertThat(store.countByStatus(null, "t1").get(RunStatus.QUEUED)).isEqualTo(2);
        assertThat(store.countByStatus("q", "t1").get(RunStatus.COMPLETED)).isZero();
    }
}
