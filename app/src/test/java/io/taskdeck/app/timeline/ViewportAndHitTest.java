package io.taskdeck.app.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventType;
import io.taskdeck.client.RunStatus;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Following, zooming and panning, and finding the run under the pointer. */
class ViewportAndHitTest {

    private static final long T = 1_700_000_000_000L;
    private final AtomicLong clock = new AtomicLong(T);
    private long seq;

    @Test
    void followingKeepsNowNearTheRightEdgeAsTimePasses() {
        Viewport vp = new Viewport(60_000, T);
        vp.resize(1_000, 400, T);
        assertThat(vp.x(T)).isCloseTo(960, org.assertj.core.data.Offset.offset(1.0));

        vp.tick(T + 10_000);
        assertThat(vp.x(T + 10_000)).isCloseTo(960, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void panningIntoThePastPausesFollowingAndPanningBackToNowResumesIt() {
        Viewport vp = new Viewport(60_000, T);
        vp.resize(1_000, 400, T);
        vp.pan(-200, 0, 0, T);
        assertThat(vp.following()).isFalse();
        long start = vp.startMs();
        vp.tick(T + 5_000);
        assertThat(vp.startMs()).isEqualTo(start); // paused: time passes, the view stays

        vp.pan(10_000, 0, 0, T + 5_000);
        assertThat(vp.following()).isTrue();
    }

    @Test
    void zoomKeepsTheTimeUnderThePointerAndStaysBetweenASecondAndSevenDays() {
        Viewport vp = new Viewport(60_000, T);
        vp.resize(1_000, 400, T);
        vp.setFollowing(false, T);
        long under = vp.time(300);
        vp.zoom(0.5, 300, T);
        assertThat(vp.time(300)).isCloseTo(under, org.assertj.core.data.Offset.offset(1L));
        assertThat(vp.spanMs()).isEqualTo(30_000);

        for (int i = 0; i < 40; i++) {
            vp.zoom(0.5, 300, T);
        }
        assertThat(vp.spanMs()).isEqualTo(Viewport.MIN_SPAN_MS);
        for (int i = 0; i < 80; i++) {
            vp.zoom(2, 300, T);
        }
        assertThat(vp.spanMs()).isEqualTo(Viewport.MAX_SPAN_MS);
    }

    @Test
    void theRunUnderAPointIsFoundByRowAndTimeAndFiltersHideIt() {
        TimelineModel model = new TimelineModel(clock::get, 100);
        run(model, "a", "q", "noop", 0, 1_000);
        run(model, "b", "q", "sleep", 500, 2_000);
        run(model, "c", "r", "noop", 0, 3_000);
        Viewport vp = new Viewport(10_000, T);
        vp.resize(1_000, 400, T);
        vp.show(T, T + 10_000); // 10 ms per pixel
        LaneGeometry g = new LaneGeometry(model.lanes(), TimelineFilter.NONE);

        double rowA = g.boxes().get(0).rowTop(0) + 5;
        double rowB = g.boxes().get(0).rowTop(1) + 5;
        double rowC = g.boxes().get(1).rowTop(0) + 5;
        assertThat(g.runAt(50, rowA, vp, TimelineFilter.NONE, T).id()).isEqualTo("a");
        assertThat(g.runAt(150, rowB, vp, TimelineFilter.NONE, T).id()).isEqualTo("b");
        assertThat(g.runAt(250, rowC, vp, TimelineFilter.NONE, T).id()).isEqualTo("c");
        assertThat(g.runAt(500, rowA, vp, TimelineFilter.NONE, T)).isNull(); // after a ended
        assertThat(g.runAt(50, g.boxes().get(0).top() + 2, vp, TimelineFilter.NONE, T)).isNull(); // header

        TimelineFilter onlyNoop = new TimelineFilter("noop", null, Set.of(), null, null);
        assertThat(g.runAt(150, rowB, vp, onlyNoop, T)).isNull();
        TimelineFilter onlyQueueR = new TimelineFilter(null, "r", Set.of(), null, null);
        LaneGeometry filtered = new LaneGeometry(model.lanes(), onlyQueueR);
        assertThat(filtered.boxes()).singleElement().satisfies(b -> assertThat(b.lane().queue()).isEqualTo("r"));
    }

    @Test
    void searchHighlightsByPartOfIdTaskKeyOrTagAndStatusFiltersShow() {
        TimelineModel model = new TimelineModel(clock::get, 100);
        run(model, "run_abc", "q", "payments", 0, 10);
        TimelineRun r = model.run("run_abc");
        assertThat(new TimelineFilter(null, null, Set.of(), null, "ABC").highlights(r)).isTrue();
        assertThat(new TimelineFilter(null, null, Set.of(), null, "pay").highlights(r)).isTrue();
        assertThat(new TimelineFilter(null, null, Set.of(), null, "zzz").highlights(r)).isFalse();
        assertThat(new TimelineFilter(null, null, Set.of(RunStatus.FAILED), null, null).shows(r)).isFalse();
        assertThat(new TimelineFilter(null, null, Set.of(RunStatus.COMPLETED), null, null).shows(r)).isTrue();
    }

    private void run(TimelineModel model, String id, String queue, String task, long start, long end) {
        model.apply(new RunEvent(++seq, Instant.ofEpochMilli(T + start), id, task, queue, RunEventType.TRIGGERED,
                RunStatus.QUEUED, null, null));
        model.apply(new RunEvent(++seq, Instant.ofEpochMilli(T + start), id, task, queue,
                RunEventType.STATUS_CHANGED, RunStatus.EXECUTING, 1, null));
        model.apply(new RunEvent(++seq, Instant.ofEpochMilli(T + end), id, task, queue,
                RunEventType.STATUS_CHANGED, RunStatus.COMPLETED, 1, null));
    }
}
