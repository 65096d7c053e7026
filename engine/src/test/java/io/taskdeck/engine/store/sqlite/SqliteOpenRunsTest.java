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
        assertThat(open.get(a.id())).isEqualTo(new OpenRuns.Open(a, null));

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
}
