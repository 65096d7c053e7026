package io.taskdeck.engine.store.sqlite;

import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.sqlite.OpenRuns.OpenAttempt;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer's mirror of unfinished runs follows savepoints and group rollbacks exactly. */
class SqliteOpenRunsTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final OpenRuns open = new OpenRuns();

    private static Run.Builder run(int n) {
        return Run.builder(String.format("run_%08d", n), "t1", "q", T0.plusMillis(n)).concurrencyKey("k");
    }

    private static Run executing(Run r) {
        return r.toBuilder().status(RunStatus.EXECUTING).attempts(r.attempts() + 1).nodeId("n").build();
    }

    private String state() {
        OpenRuns.QueueRuns q = open.queueRuns("q");
        return "queued=" + q.queued.stream().map(Run::id).toList() + " executing=" + q.executing + " keys=" + q.keyHolders;
    }

    @Test
    void aRolledBackRequestLeavesTheMirrorAsItWas() {
        Run a = run(1).build();
        Run b = run(2).build();
        open.put(a, null);
        open.put(b, null);
        open.releaseOp();
        open.committed();
        String before = state();

        open.put(executing(a), new OpenAttempt(T0, 1));
        open.put(b.toBuilder().status(RunStatus.CANCELED).build(), null);
        open.put(run(3).build(), null);
        assertThat(state()).isEqualTo("queued=[run_00000003] executing=1 keys={k=1}");
        open.discardOp();

        assertThat(state()).isEqualTo(before).isEqualTo("queued=[run_00000001, run_00000002] executing=0 keys={}");
        assertThat(open.get("run_00000003")).isNull();
        assertThat(open.get(b.id()).run()).isEqualTo(b);
    }

    @Test
    void aFailedGroupUndoesItsReleasedRequestsNewestFirstAndACommittedOneStays() {
        Run a = run(1).build();
        open.put(a, null);
        open.releaseOp();
        open.committed();

        Run held = executing(a);
        open.put(held, new OpenAttempt(T0, 1));
        open.releaseOp();
        Run retry = held.toBuilder().status(RunStatus.QUEUED).error(RunError.of("E", "boom")).build();
        open.put(retry, new OpenAttempt(T0, 1));
        open.releaseOp();
        assertThat(state()).isEqualTo("queued=[run_00000001] executing=0 keys={k=1}"); // a retry-pending run keeps its key
        open.discardGroup();

        assertThat(state()).isEqualTo("queued=[run_00000001] executing=0 keys={}");
        assertThat(open.get(a.id())).isEqualTo(new OpenRuns.Open(a, null, 0));

        open.put(held, new OpenAttempt(T0, 1));
        open.releaseOp();
        open.committed();
        open.discardGroup(); // nothing left to undo
        assertThat(state()).isEqualTo("queued=[] executing=1 keys={k=1}");
    }

    @Test
    void queueRowsAreUndoneToo() {
        open.putQueue(new OpenRuns.QueueRow("q", 5, null, 1, false));
        open.releaseOp();
        open.committed();
        open.putQueue(new OpenRuns.QueueRow("q", 5, 2, 1, true));
        open.putQueue(new OpenRuns.QueueRow("other", 1, null, 1, false));
        open.discardOp();

        assertThat(open.queueRow("q")).isEqualTo(new OpenRuns.QueueRow("q", 5, null, 1, false));
        assertThat(open.queueRow("other")).isNull();
    }

    @Test
    void leasesAndTimersFollowTheRunsAndTheirRollbacks() {
        Run delayed = run(1).status(RunStatus.DELAYED).runAt(T0.plusSeconds(50)).build();
        Run expiring = run(2).concurrencyKey(null).expiresAt(T0.plusSeconds(40)).build();
        Run retrying = run(3).concurrencyKey(null).attempts(1).error(RunError.of("E", "boom"))
                .runAt(T0.plusSeconds(20)).build();
        Run held = executing(run(4).concurrencyKey(null).build()).toBuilder().leaseUntil(T0.plusSeconds(30)).build();
        for (Run r : java.util.List.of(delayed, expiring, retrying, held)) {
            open.put(r, null);
        }
        open.releaseOp();
        open.committed();
        Instant longAgo = T0.minusSeconds(3600);
        assertThat(open.nextDueAt(longAgo)).contains(T0.plusSeconds(20));
        assertThat(open.nextDueAt(T0.plusSeconds(20))).as("a due retry waits for a slot; the lease is over just after 30 s")
                .contains(T0.plusSeconds(30).plusNanos(1));
        assertThat(open.expiredLeases(T0.plusSeconds(31), 10)).containsExactly(held);
        assertThat(open.dueExpiries(T0.plusSeconds(40), 10)).containsExactly(expiring);
        assertThat(open.dueDelays(T0.plusSeconds(49), 10)).isEmpty();

        // The held run ends, the expiring one starts, the delayed one is promoted: then rolled back.
        open.put(held.toBuilder().status(RunStatus.COMPLETED).build(), null);
        open.put(executing(expiring), new OpenAttempt(T0, 1));
        open.put(delayed.toBuilder().status(RunStatus.QUEUED).build(), null);
        assertThat(open.expiredLeases(T0.plusSeconds(31), 10)).isEmpty();
        assertThat(open.dueExpiries(T0.plusSeconds(40), 10)).isEmpty();
        assertThat(open.dueDelays(T0.plusSeconds(50), 10)).isEmpty();
        assertThat(open.nextDueAt(T0.plusSeconds(20))).as("a promoted run keeps its runAt").contains(T0.plusSeconds(50));
        open.discardOp();

        assertThat(open.expiredLeases(T0.plusSeconds(31), 10)).containsExactly(held);
        assertThat(open.dueExpiries(T0.plusSeconds(40), 10)).containsExactly(expiring);
        assertThat(open.dueDelays(T0.plusSeconds(50), 10)).containsExactly(delayed);
        assertThat(open.nextDueAt(longAgo)).contains(T0.plusSeconds(20));
    }
}
