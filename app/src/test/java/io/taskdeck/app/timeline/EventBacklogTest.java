package io.taskdeck.app.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventType;
import io.taskdeck.client.RunStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventBacklogTest {

    private static final long T = 1_700_000_000_000L;

    private static RunEvent triggered(int i) {
        return new RunEvent(i + 1, Instant.ofEpochMilli(T + i), "run_" + i, "noop", "task/noop",
                RunEventType.TRIGGERED, RunStatus.QUEUED, null, null);
    }

    private static List<RunEvent> triggered(int from, int to) {
        return IntStream.range(from, to).mapToObj(EventBacklogTest::triggered).toList();
    }

    @Test
    void drainsAtMostTheAskedNumberInArrivalOrder() {
        EventBacklog backlog = new EventBacklog(100);
        List<RunEvent> applied = new ArrayList<>();
        backlog.offer(triggered(0, 10), applied::add);
        assertThat(applied).isEmpty();

        assertThat(backlog.drain(4, applied::add)).isEqualTo(4);
        assertThat(applied).extracting(RunEvent::runId).containsExactly("run_0", "run_1", "run_2", "run_3");
        assertThat(backlog.drain(100, applied::add)).isEqualTo(6);
        assertThat(backlog.size()).isZero();
        assertThat(backlog.drain(100, applied::add)).isZero();
    }

    @Test
    void beyondTheBoundTheOldestAreAppliedAtOnce() {
        EventBacklog backlog = new EventBacklog(5);
        List<RunEvent> applied = new ArrayList<>();
        backlog.offer(triggered(0, 8), applied::add);

        assertThat(applied).extracting(RunEvent::runId).containsExactly("run_0", "run_1", "run_2");
        assertThat(backlog.size()).isEqualTo(5);
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> new EventBacklog(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPending");
    }

    @Test
    void aBusyTickIsSpreadOverFramesAndEveryRunArrives() {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(T + 10_000), ZoneOffset.UTC);
        TimelineViewModel vm = new TimelineViewModel(() -> {
            throw new AssertionError("not started: no server calls");
        }, UiTasks.currentThread(e -> { }), clock, 100_000);
        int tick = TimelineViewModel.EVENTS_PER_FRAME * 2 + 500;
        vm.applyEvents(triggered(0, tick));

        assertThat(vm.model().size()).isZero();
        assertThat(vm.applyPending()).isEqualTo(TimelineViewModel.EVENTS_PER_FRAME);
        assertThat(vm.model().size()).isEqualTo(TimelineViewModel.EVENTS_PER_FRAME);
        assertThat(vm.applyPending()).isEqualTo(TimelineViewModel.EVENTS_PER_FRAME);
        assertThat(vm.applyPending()).isEqualTo(500);
        assertThat(vm.pendingEvents()).isZero();
        assertThat(vm.model().size()).isEqualTo(tick);
        assertThat(vm.model().run("run_" + (tick - 1))).isNotNull();
    }

    @Test
    void eventsOfAHiddenViewStayBoundedAndAResyncDropsThem() {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(T + 10_000), ZoneOffset.UTC);
        TimelineViewModel vm = new TimelineViewModel(() -> {
            throw new AssertionError("not started: no server calls");
        }, UiTasks.currentThread(e -> { }), clock, 100_000);
        int n = TimelineViewModel.MAX_PENDING_EVENTS + 300;
        vm.applyEvents(triggered(0, n));

        assertThat(vm.pendingEvents()).isEqualTo(TimelineViewModel.MAX_PENDING_EVENTS);
        assertThat(vm.model().size()).isEqualTo(300);

        vm.resync();
        assertThat(vm.pendingEvents()).isZero();
        assertThat(vm.applyPending()).isZero();
    }
}
