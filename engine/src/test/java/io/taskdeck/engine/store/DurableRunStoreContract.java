package io.taskdeck.engine.store;

import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.QueueState;
import io.taskdeck.engine.QueueUpdate;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance suite plus what a durable store must keep across a restart: a store module
 * for a file or a server subclasses it and provides {@link #reopenStore()}, which opens the
 * same data again after the test closed the store (as a restarted process would).
 */
public abstract class DurableRunStoreContract extends RunStoreContract {

    /** The store of {@link #createStore()} opened again on the same data. */
    protected abstract RunStore reopenStore();

    protected void restart() {
        store.close();
        store = reopenStore();
    }

    @Test
    void runsQueuesJournalAndIdempotencyKeysSurviveARestart() {
        Run delayed = insert(run().status(RunStatus.DELAYED).runAt(at(60)).payload("{\"n\":1}").tags(List.of("a", "b"))
                .metadata("{\"m\":true}").priority(5).expiresAt(at(600)));
        Run keyed = insert(run().idempotencyKey("order-1").idempotencyKeyExpiresAt(at(3600)).concurrencyKey("acct"));
        store.updateQueue("q", QueueUpdate.overrideLimit(4), at(1));
        store.updateQueue("q", QueueUpdate.pause(), at(1));
        long seq = store.lastSeq();

        restart();

        assertThat(store.find(delayed.id())).contains(delayed);
        assertThat(store.find(keyed.id())).contains(keyed);
        QueueState q = store.queue("q").orElseThrow();
        assertThat(q.concurrencyLimitOverride()).isEqualTo(4);
        assertThat(q.paused()).isTrue();
        assertThat(store.lastSeq()).isEqualTo(seq);
        assertThat(store.nextDueAt()).contains(at(60));
        InsertResult again = store.insert(List.of(run().idempotencyKey("order-1").build()), at(10)).getFirst();
        assertThat(again.cached()).isTrue();
        assertThat(again.run().id()).isEqualTo(keyed.id());

        store.updateQueue("q", QueueUpdate.resume(), at(2));
        assertThat(store.readJournal(seq, 10)).extracting(JournalEvent::seq).containsExactly(seq + 1);
        assertThat(ids(store.promoteDue(at(60), 10))).containsExactly(delayed.id());
        assertThat(store.countByStatus("q", null).get(RunStatus.QUEUED)).isEqualTo(2);
    }

    @Test
    void retryTimerSurvivesARestart() {
        insert(run());
        Run c = claim(1, at(1)).getFirst();
        store.apply(List.of(Transition.of(c.id(), RunStatus.QUEUED, RunStatus.EXECUTING).heldBy(NODE).atAttempt(1)
                .error(RunError.of("Boom", "boom")).runAt(at(30)).closeAttempt(AttemptOutcome.FAILED).build()), at(2));

        restart();

        assertThat(store.nextDueAt()).contains(at(30));
        assertThat(claim(1, at(29))).isEmpty();
        Run retried = claim(1, at(30)).getFirst();
        assertThat(retried.id()).isEqualTo(c.id());
        assertThat(retried.attempts()).isEqualTo(2);
        assertThat(store.attempts(c.id())).extracting(a -> a.outcome())
                .containsExactly(AttemptOutcome.FAILED, AttemptOutcome.RUNNING);
    }

    @Test
    void runLeftExecutingByADeadProcessCanBeRescuedAtOnceAfterARestart() {
        insert(run());
        insert(run());
        List<Run> held = claim(2, T0);
        assertThat(held).allSatisfy(r -> assertThat(r.leaseUntil()).isEqualTo(at(30)));

        restart();

        // The lease ran to at(30), but the process holding it is gone: rescue need not wait.
        List<Run> expired = store.expiredLeases(at(1), 10);
        assertThat(ids(expired)).containsExactlyInAnyOrderElementsOf(ids(held));
        Run lost = expired.getFirst();
        TransitionResult rescued = store.apply(List.of(Transition.of(lost.id(), RunStatus.QUEUED, RunStatus.EXECUTING)
                .leaseExpiredBy(at(1)).error(RunError.of("LeaseExpiredError", "node lost")).runAt(at(1))
                .closeAttempt(AttemptOutcome.CRASHED).build()), at(1)).getFirst();
        assertThat(rescued.applied()).isTrue();
        assertThat(store.attempts(lost.id()).getFirst().outcome()).isEqualTo(AttemptOutcome.CRASHED);

        Run again = store.claim(new ClaimRequest("node-b", ALL_TASKS, 10, at(2), at(32))).getFirst();
        assertThat(again.id()).isEqualTo(lost.id());
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(store.renewLeases(NODE, List.of(lost.id()), at(60))).containsExactly(lost.id());
    }

    @Test
    void openDeadLetterAndCountsSurviveARestart() {
        insert(run());
        Run c = claim(1, at(1)).getFirst();
        store.apply(List.of(Transition.of(c.id(), RunStatus.FAILED, RunStatus.EXECUTING)
                .error(RunError.of("Declined", "card declined")).fingerprint("t1:declined")
                .closeAttempt(AttemptOutcome.FAILED).build()), at(2));

        restart();

        assertThat(store.deadLetterGroups(null)).singleElement()
                .satisfies(g -> assertThat(g.sampleRunId()).isEqualTo(c.id()));
        assertThat(store.countByStatus(null, null).get(RunStatus.FAILED)).isEqualTo(1);
        assertThat(store.list(RunQuery.builder().status(RunStatus.FAILED).build()).runs()).hasSize(1);
    }
}
