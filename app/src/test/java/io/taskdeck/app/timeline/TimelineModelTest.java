package io.taskdeck.app.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskdeck.client.QueueInfo;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventType;
import io.taskdeck.client.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Segments and rows computed from journal events and run records, on a clock the test moves. */
class TimelineModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T = 1_700_000_000_000L;

    private final AtomicLong clock = new AtomicLong(T);
    private final TimelineModel model = new TimelineModel(clock::get, 1_000);
    private long seq;

    @Test
    void aRunWaitsThenExecutesThenCompletes() {
        triggered("run_a", "q", 0);
        executing("run_a", "q", 200, 1);
        status("run_a", "q", 700, RunStatus.COMPLETED, 1);

        TimelineRun run = model.run("run_a");
        assertThat(run.segments()).containsExactly(
                new Segment(SegmentKind.QUEUED, T, T + 200, 0, null),
                new Segment(SegmentKind.EXECUTING, T + 200, T + 700, 1, RunStatus.COMPLETED));
        assertThat(run.slotStart()).isEqualTo(T + 200);
        assertThat(run.endAt()).isEqualTo(T + 700);
        assertThat(run.rowIndex()).isZero();
    }

    @Test
    void aRetryShowsTheFailedAttemptItsBackoffAndTheWaitForTheNextAttempt() {
        triggered("run_r", "q", 0);
        executing("run_r", "q", 100, 1);
        retry("run_r", "q", 400, 1, T + 1_400);
        executing("run_r", "q", 1_500, 2);
        status("run_r", "q", 1_800, RunStatus.COMPLETED, 2);

        assertThat(model.run("run_r").segments()).containsExactly(
                new Segment(SegmentKind.QUEUED, T, T + 100, 0, null),
                new Segment(SegmentKind.EXECUTING, T + 100, T + 400, 1, RunStatus.FAILED),
                new Segment(SegmentKind.BACKOFF, T + 400, T + 1_400, 1, null),
                new Segment(SegmentKind.QUEUED, T + 1_400, T + 1_500, 1, null),
                new Segment(SegmentKind.EXECUTING, T + 1_500, T + 1_800, 2, RunStatus.COMPLETED));
        assertThat(model.run("run_r").attempt()).isEqualTo(2);
    }

    @Test
    void whileBackingOffTheBackoffIsDrawnUpToTheRetryTime() {
        triggered("run_b", "q", 0);
        executing("run_b", "q", 0, 1);
        retry("run_b", "q", 100, 1, T + 5_000);
        clock.set(T + 1_000);

        TimelineRun run = model.run("run_b");
        assertThat(run.segments()).extracting(Segment::kind)
                .containsExactly(SegmentKind.EXECUTING, SegmentKind.BACKOFF, SegmentKind.QUEUED);
        assertThat(run.segments().get(1).end()).isEqualTo(T + 5_000);
        assertThat(run.totalMs(SegmentKind.BACKOFF, clock.get())).isEqualTo(900);
        assertThat(run.isFinished()).isFalse();
    }

    @Test
    void canceledDuringBackoffEndsTheBackoffAtTheCancelAndDropsThePlannedWait() {
        triggered("run_c", "q", 0);
        executing("run_c", "q", 0, 1);
        retry("run_c", "q", 100, 1, T + 5_000);
        status("run_c", "q", 2_000, RunStatus.CANCELED, 1);

        assertThat(model.run("run_c").segments()).containsExactly(
                new Segment(SegmentKind.EXECUTING, T, T + 100, 1, RunStatus.FAILED),
                new Segment(SegmentKind.BACKOFF, T + 100, T + 2_000, 1, null));
        assertThat(model.run("run_c").endAt()).isEqualTo(T + 2_000);
    }

    @Test
    void canceledWhileExecutingEndsTheAttemptAsCanceled() {
        triggered("run_x", "q", 0);
        executing("run_x", "q", 50, 1);
        status("run_x", "q", 300, RunStatus.CANCELED, 1);

        assertThat(model.run("run_x").segments().get(1))
                .isEqualTo(new Segment(SegmentKind.EXECUTING, T + 50, T + 300, 1, RunStatus.CANCELED));
    }

    @Test
    void canceledWhileQueuedNeverTakesARow() {
        triggered("run_q", "q", 0);
        status("run_q", "q", 500, RunStatus.CANCELED, null);

        TimelineRun run = model.run("run_q");
        assertThat(run.segments()).containsExactly(new Segment(SegmentKind.QUEUED, T, T + 500, 0, null));
        assertThat(run.hasStarted()).isFalse();
        assertThat(run.rowIndex()).isEqualTo(-1);
        assertThat(model.lane("q").rows()).isEmpty();
    }

    @Test
    void waitingOnChildrenSplitsTheAttemptAroundTheWait() {
        triggered("run_p", "q", 0);
        executing("run_p", "q", 10, 1);
        status("run_p", "q", 100, RunStatus.WAITING, 1);
        executing("run_p", "q", 900, 1);
        status("run_p", "q", 1_000, RunStatus.COMPLETED, 1);

        assertThat(model.run("run_p").segments()).containsExactly(
                new Segment(SegmentKind.QUEUED, T, T + 10, 0, null),
                new Segment(SegmentKind.EXECUTING, T + 10, T + 100, 1, RunStatus.WAITING),
                new Segment(SegmentKind.WAITING, T + 100, T + 900, 1, null),
                new Segment(SegmentKind.EXECUTING, T + 900, T + 1_000, 1, RunStatus.COMPLETED));
    }

    @Test
    void aDelayedRunIsDelayedThenQueued() {
        event("run_d", "q", 0, RunEventType.TRIGGERED, RunStatus.DELAYED, null, null);
        status("run_d", "q", 3_000, RunStatus.QUEUED, null);
        executing("run_d", "q", 3_100, 1);

        assertThat(model.run("run_d").segments()).extracting(Segment::kind)
                .containsExactly(SegmentKind.DELAYED, SegmentKind.QUEUED, SegmentKind.EXECUTING);
    }

    @Test
    void aLostLeaseEndsTheAttemptAsCrashedAndQueuesAgain() {
        triggered("run_l", "q", 0);
        executing("run_l", "q", 0, 1);
        status("run_l", "q", 30_000, RunStatus.QUEUED, 1);

        assertThat(model.run("run_l").segments().get(0).outcome()).isEqualTo(RunStatus.CRASHED);
        assertThat(model.run("run_l").segments().get(1).kind()).isEqualTo(SegmentKind.QUEUED);
    }

    @Test
    void rowsAreTheSlotsInUseFirstFreeRowFirst() {
        // a: [0,100)  b: [50,300)  c: [150,200) takes a's row, d: [250,400) takes a's row again.
        start("a", 0);
        start("b", 50);
        end("a", 100);
        start("c", 150);
        end("c", 200);
        start("d", 250);
        end("b", 300);
        end("d", 400);

        assertThat(rowOf("a")).isZero();
        assertThat(rowOf("b")).isEqualTo(1);
        assertThat(rowOf("c")).isZero();
        assertThat(rowOf("d")).isZero();
        assertThat(model.lanes()).singleElement().satisfies(l -> assertThat(l.rows()).hasSize(2));
    }

    @Test
    void aRunStartingWhenAnotherEndsTakesItsRow() {
        start("a", 0);
        end("a", 100);
        start("b", 100);
        assertThat(rowOf("b")).isZero();
    }

    @Test
    void inKeyModeEachConcurrencyKeyHasItsOwnRows() {
        start("a", 0);
        start("b", 10);
        start("c", 20);
        model.merge(record("a", "user-1"));
        model.merge(record("b", "user-2"));
        model.merge(record("c", "user-1"));

        model.setRowMode(TimelineModel.RowMode.KEYS);
        List<Lane.Row> rows = model.lanes().get(0).rows();

        assertThat(rows).extracting(Lane.Row::group).containsExactly("user-1", "user-1", "user-2");
        assertThat(rowOf("a")).isZero();
        assertThat(rowOf("c")).isEqualTo(1); // user-1 twice at once: its limit allowed two
        assertThat(rowOf("b")).isEqualTo(2);

        model.setRowMode(TimelineModel.RowMode.SLOTS);
        assertThat(model.lanes().get(0).rows()).hasSize(3).allSatisfy(r -> assertThat(r.group()).isNull());
    }

    @Test
    void inKeyModeALiveRunMovesToItsKeysRowsWhenItsKeyIsLookedUp() {
        model.setRowMode(TimelineModel.RowMode.KEYS);
        start("a", 0);
        start("b", 10);
        start("c", 20);
        model.lanes();
        start("d", 30);
        end("d", 40);
        assertThat(model.lanes().get(0).rows()).hasSize(4).allSatisfy(r -> assertThat(r.group()).isNull());

        model.merge(record("a", "user-1"));
        model.merge(record("b", "user-2"));
        model.merge(record("c", "user-1"));
        model.merge(record("d", "user-2"));

        // Moved one by one, as a full re-layout would have placed them, without one.
        Lane lane = model.lane("q");
        assertThat(lane.layoutStale).isFalse();
        assertThat(lane.rows()).extracting(Lane.Row::group).containsExactly("user-1", "user-1", "user-2", "user-2");
        assertThat(rowOf("a")).isZero();
        assertThat(rowOf("c")).isEqualTo(1);
        assertThat(rowOf("b")).isEqualTo(2);
        assertThat(rowOf("d")).isEqualTo(3); // b still runs over d's time

        model.setRowMode(TimelineModel.RowMode.SLOTS);
        model.setRowMode(TimelineModel.RowMode.KEYS);
        assertThat(model.lanes().get(0).rows()).extracting(Lane.Row::group)
                .containsExactly("user-1", "user-1", "user-2", "user-2");
        assertThat(rowOf("d")).isEqualTo(3);
    }

    @Test
    void aRunEndedBeforeAnotherOfItsKeyStartedSharesItsRow() {
        model.setRowMode(TimelineModel.RowMode.KEYS);
        start("early", 0);
        end("early", 5);
        start("late", 10);
        start("between", 6);
        end("between", 8);
        model.lanes();
        model.merge(record("late", "k"));
        model.merge(record("early", "k"));
        model.merge(record("between", "k"));

        assertThat(model.lane("q").rows()).extracting(Lane.Row::group).containsExactly("k");
        assertThat(model.lane("q").rows().get(0).runs()).extracting(TimelineRun::id)
                .containsExactly("early", "between", "late");
    }

    @Test
    void aKeyedRunKeepsItsRowThroughItsRetry() {
        triggered("k1", "q", 0);
        executing("k1", "q", 0, 1);
        retry("k1", "q", 100, 1, T + 1_000);
        // Another run starts during k1's backoff: k1 still holds its row.
        start("other", 500);
        executing("k1", "q", 1_000, 2);

        assertThat(rowOf("k1")).isZero();
        assertThat(rowOf("other")).isEqualTo(1);
    }

    @Test
    void lanesArePerQueueAndKnowTheirLimitAndItsChanges() {
        start("a", 0);
        model.updateQueue(new QueueInfo("q", 5, 5, null, 1, 0, 0, false, 0, null, null));
        queueEvent("q", 1_000, "concurrencyLimit overridden to 2");
        queueEvent("q", 2_000, "paused");
        queueEvent("q", 3_000, "concurrencyLimit reset to 5");

        Lane lane = model.lane("q");
        assertThat(lane.limit()).isEqualTo(5);
        assertThat(lane.paused()).isTrue();
        assertThat(lane.limitChanges()).extracting(Lane.LimitChange::limit).containsExactly(2, 5);
        assertThat(lane.limitAt(T + 500)).isEqualTo(5);
        assertThat(lane.limitAt(T + 1_500)).isEqualTo(2);
        assertThat(lane.limitAt(T + 3_500)).isEqualTo(5);
    }

    @Test
    void aRecordFromHistoryIsDrawnAsOneSpanAndLaidOutInStartOrder() {
        start("live", 5_000);
        Run old = new Run("old", "noop", RunStatus.FAILED, "q", null, null, List.of("t1"), null, 0, null, null,
                null, 3, 3, Instant.ofEpochMilli(T), Instant.ofEpochMilli(T + 100), Instant.ofEpochMilli(T + 900),
                null, null, null, null, 7);

        assertThat(model.merge(old)).isTrue();
        TimelineRun run = model.run("old");
        assertThat(run.isCoarse()).isTrue();
        assertThat(run.segments()).containsExactly(
                new Segment(SegmentKind.QUEUED, T, T + 100, 0, null),
                new Segment(SegmentKind.EXECUTING, T + 100, T + 900, 3, RunStatus.FAILED));
        model.lanes();
        assertThat(model.lane("q").rows().get(0).runs()).extracting(TimelineRun::id).containsExactly("old", "live");
    }

    @Test
    void exactSegmentsFromEventsReplaceARecordsShape() {
        Run rec = record("r", null);
        model.merge(rec);
        List<RunEvent> history = List.of(
                ev("r", "q", 0, RunEventType.TRIGGERED, RunStatus.QUEUED, null, null),
                ev("r", "q", 10, RunEventType.STATUS_CHANGED, RunStatus.EXECUTING, 1, null),
                ev("r", "q", 20, RunEventType.RETRY_SCHEDULED, RunStatus.QUEUED, 1, retryAt(T + 30)),
                ev("r", "q", 30, RunEventType.STATUS_CHANGED, RunStatus.EXECUTING, 2, null));

        model.replaceFromEvents(rec, history);

        assertThat(model.run("r").isCoarse()).isFalse();
        assertThat(model.run("r").segments()).extracting(Segment::kind).containsExactly(
                SegmentKind.QUEUED, SegmentKind.EXECUTING, SegmentKind.BACKOFF, SegmentKind.EXECUTING);
    }

    @Test
    void aRequeuedDeadLetterQueuesAgainAndMayMoveQueue() {
        start("dl", 0);
        status("dl", "q", 100, RunStatus.FAILED, 1);
        ObjectNode details = JSON.createObjectNode().put("queue", "other");
        event("dl", "q", 5_000, RunEventType.REQUEUED, RunStatus.QUEUED, null, details);

        TimelineRun run = model.run("dl");
        assertThat(run.isFinished()).isFalse();
        assertThat(run.queue()).isEqualTo("other");
        assertThat(run.segments().get(run.segmentCount() - 1))
                .isEqualTo(new Segment(SegmentKind.QUEUED, T + 5_000, Segment.OPEN, 1, null));
        assertThat(model.lanes()).extracting(Lane::queue).contains("other");
        assertThat(model.lane("other").rows().get(0).runs()).extracting(TimelineRun::id).containsExactly("dl");
    }

    @Test
    void pastItsBoundTheModelEvictsTheOldestFinishedRunsOutsideTheRetainedWindow() {
        TimelineModel small = new TimelineModel(clock::get, 100);
        for (int i = 0; i < 120; i++) {
            long at = T + i * 10L;
            small.apply(new RunEvent(++seq, Instant.ofEpochMilli(at), "e" + i, "noop", "q",
                    RunEventType.STATUS_CHANGED, RunStatus.EXECUTING, 1, null));
            small.apply(new RunEvent(++seq, Instant.ofEpochMilli(at + 5), "e" + i, "noop", "q",
                    RunEventType.STATUS_CHANGED, RunStatus.COMPLETED, 1, null));
        }
        small.apply(new RunEvent(++seq, Instant.ofEpochMilli(T), "running", "noop", "q",
                RunEventType.STATUS_CHANGED, RunStatus.EXECUTING, 1, null));

        int evicted = small.evict(T + 1_000);

        assertThat(evicted).isGreaterThan(0);
        assertThat(small.size()).isLessThanOrEqualTo(100);
        assertThat(small.run("e0")).isNull();
        assertThat(small.run("e119")).isNotNull(); // ended after keepFrom
        assertThat(small.run("running")).isNotNull(); // never evicted while it runs
        small.lanes().get(0).rows().forEach(r -> assertThat(r.runs()).noneMatch(x -> x.id().startsWith("e0")));
    }

    @Test
    void whenTheWindowHoldsMoreThanTheBoundEvictionRetriesOnceASecondHasLeftIt() {
        TimelineModel small = new TimelineModel(clock::get, 100);
        for (int i = 0; i < 120; i++) {
            long at = T + i * 10L;
            small.apply(new RunEvent(++seq, Instant.ofEpochMilli(at), "e" + i, "noop", "q",
                    RunEventType.STATUS_CHANGED, RunStatus.EXECUTING, 1, null));
            small.apply(new RunEvent(++seq, Instant.ofEpochMilli(at + 5), "e" + i, "noop", "q",
                    RunEventType.STATUS_CHANGED, RunStatus.COMPLETED, 1, null));
        }

        assertThat(small.evict(T)).isZero(); // every run ends inside the window
        assertThat(small.evict(T + 500)).isZero(); // not a second later yet: no new scan
        assertThat(small.size()).isEqualTo(120);

        int evicted = small.evict(T + 1_000);
        assertThat(evicted).isEqualTo(30); // down to 90% of the bound, oldest first
        assertThat(small.run("e29")).isNull();
        assertThat(small.run("e30")).isNotNull();
        assertThat(small.lanes().get(0).rows()).allSatisfy(r -> assertThat(r.runs()).hasSizeLessThanOrEqualTo(90));
    }

    @Test
    void atOneAndAHalfTimesItsBoundNewLiveRunsAreCountedAsDroppedNotTaken() {
        TimelineModel small = new TimelineModel(clock::get, 10);
        for (int i = 0; i < 20; i++) {
            small.apply(new RunEvent(++seq, Instant.ofEpochMilli(T), "x" + i, "noop", "q",
                    RunEventType.TRIGGERED, RunStatus.QUEUED, null, null));
        }
        assertThat(small.size()).isEqualTo(15);
        assertThat(small.dropped()).isEqualTo(5);
    }

    @Test
    void loadIsTheAverageNumberOfRunsExecutingPerBucket() {
        start("a", 0);
        end("a", 1_000);
        start("b", 500);
        end("b", 1_000);

        double[] load = model.load(T, T + 2_000, 4);

        assertThat(load).containsExactly(1.0, 2.0, 0.0, 0.0);
    }

    // --- helpers --------------------------------------------------------------------------------

    private int rowOf(String id) {
        model.lanes();
        return model.run(id).rowIndex();
    }

    private void start(String id, long at) {
        triggered(id, "q", at);
        executing(id, "q", at, 1);
    }

    private void end(String id, long at) {
        status(id, "q", at, RunStatus.COMPLETED, 1);
    }

    private void triggered(String id, String queue, long at) {
        event(id, queue, at, RunEventType.TRIGGERED, RunStatus.QUEUED, null, null);
    }

    private void executing(String id, String queue, long at, int attempt) {
        event(id, queue, at, RunEventType.STATUS_CHANGED, RunStatus.EXECUTING, attempt, null);
    }

    private void status(String id, String queue, long at, RunStatus status, Integer attempt) {
        event(id, queue, at, RunEventType.STATUS_CHANGED, status, attempt, null);
    }

    private void retry(String id, String queue, long at, int attempt, long retryAtMs) {
        event(id, queue, at, RunEventType.RETRY_SCHEDULED, RunStatus.QUEUED, attempt, retryAt(retryAtMs));
    }

    private static ObjectNode retryAt(long ms) {
        return JSON.createObjectNode().put("retryAt", Instant.ofEpochMilli(ms).toString());
    }

    private void queueEvent(String queue, long at, String change) {
        model.apply(new RunEvent(++seq, Instant.ofEpochMilli(T + at), null, null, queue, RunEventType.QUEUE_UPDATED,
                null, null, JSON.createObjectNode().put("queue", queue).put("change", change)));
    }

    private void event(String id, String queue, long at, RunEventType type, RunStatus status, Integer attempt,
                       ObjectNode details) {
        model.apply(ev(id, queue, at, type, status, attempt, details));
    }

    private RunEvent ev(String id, String queue, long at, RunEventType type, RunStatus status, Integer attempt,
                        ObjectNode details) {
        return new RunEvent(++seq, Instant.ofEpochMilli(T + at), id, "noop", queue, type, status, attempt, details);
    }

    private static Run record(String id, String key) {
        return new Run(id, "noop", RunStatus.EXECUTING, "q", key, null, List.of(), null, 0, null, null, null, 1, 3,
                Instant.ofEpochMilli(T), Instant.ofEpochMilli(T), null, null, null, null, null, 1);
    }
}
