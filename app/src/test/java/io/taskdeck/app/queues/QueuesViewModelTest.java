package io.taskdeck.app.queues;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.client.Role;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.ManualClock;
import io.taskdeck.engine.TaskProvider;
import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.server.EngineTaskServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queues view-model over the real engine adapter (engine not started: figures hold still). */
class QueuesViewModelTest {

    private static final String REPORTS = "process-report";
    private Engine engine;
    private TaskServer server;
    private final List<Throwable> unhandled = new ArrayList<>();
    private QueuesViewModel vm;

    @BeforeEach
    void start() {
        engine = Engine.builder().store(new MemoryRunStore()).clock(new ManualClock(Instant.parse("2025-01-01T00:00:00Z")))
                .build();
        for (TaskProvider p : ServiceLoader.load(TaskProvider.class)) {
            p.tasks().forEach(engine::register);
        }
        server = EngineTaskServer.over(engine);
        vm = new QueuesViewModel(() -> server, UiTasks.currentThread(unhandled::add),
                Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));
        vm.roleProperty().set(Role.OPERATOR);
    }

    @AfterEach
    void stop() {
        engine.close();
        assertThat(unhandled).isEmpty();
    }

    private QueueRow select(String name) {
        vm.poll();
        QueueRow row = vm.row(name);
        vm.selectedProperty().set(row);
        return row;
    }

    @Test
    void listsEveryQueueWithItsBacklogAndKeepsRowsAcrossPolls() {
        for (int i = 0; i < 3; i++) {
            server.trigger(REPORTS, JsonNodeFactory.instance.objectNode().put("reportId", "r" + i), TriggerOptions.NONE);
        }
        vm.poll();
        QueueRow row = vm.row(REPORTS);
        assertThat(row.info().queued()).isEqualTo(3);
        assertThat(QueuesViewModel.runningText(row.info())).isEqualTo("0 / 5");

        server.trigger(REPORTS, JsonNodeFactory.instance.objectNode().put("reportId", "r9"), TriggerOptions.NONE);
        vm.poll();
        assertThat(vm.row(REPORTS)).isSameAs(row);
        assertThat(row.info().queued()).isEqualTo(4);
        assertThat(vm.rows()).extracting(QueueRow::name).contains(REPORTS, "fraud-detection");
    }

    @Test
    void overridingShowsTheNewLimitAtOnceWithWhoAndWhenAndResetRestoresTheBase() {
        QueueRow row = select(REPORTS);
        assertThat(vm.limitProperty().get()).isEqualTo(5);

        vm.limitProperty().set(12);
        vm.applyLimit();

        assertThat(row.info().concurrencyLimit()).isEqualTo(12);
        assertThat(QueuesViewModel.limitOrigin(row.info())).startsWith("Base 5 · override 12, set by local at ");
        assertThat(vm.messageProperty().get()).isEqualTo("Limit of process-report set to 12.");
        assertThat(server.getQueue(REPORTS).concurrencyLimit()).isEqualTo(12);

        vm.resetLimit();
        assertThat(row.info().concurrencyLimit()).isEqualTo(5);
        assertThat(row.info().override()).isNull();
        assertThat(vm.limitProperty().get()).isEqualTo(5);
        assertThat(QueuesViewModel.limitOrigin(row.info())).isEqualTo("Base 5 · no override");
    }

    @Test
    void pauseAndResume() {
        QueueRow row = select(REPORTS);
        vm.pause();
        assertThat(row.info().paused()).isTrue();
        assertThat(server.getQueue(REPORTS).paused()).isTrue();
        assertThat(vm.forecast().get().outcome()).isIn(DrainForecast.Outcome.STOPPED, DrainForecast.Outcome.EMPTY);

        vm.resume();
        assertThat(row.info().paused()).isFalse();
        assertThat(vm.messageProperty().get()).isEqualTo("process-report resumed.");
    }

    @Test
    void theForecastFollowsTheLimitBeingTypedBeforeItIsApplied() {
        for (int i = 0; i < 20; i++) {
            server.trigger(REPORTS, JsonNodeFactory.instance.objectNode().put("reportId", "r" + i), TriggerOptions.NONE);
        }
        select(REPORTS);
        vm.limitProperty().set(0);
        assertThat(vm.forecast().get().outcome()).isEqualTo(DrainForecast.Outcome.STOPPED);
        vm.limitProperty().set(8);
        // Nothing finished yet on this engine: the execution time is not known.
        assertThat(vm.forecast().get().outcome()).isEqualTo(DrainForecast.Outcome.UNKNOWN);
        assertThat(server.getQueue(REPORTS).override()).isNull();
    }

    @Test
    void aViewerCannotChangeQueuesAndIsToldWhy() {
        QueueRow row = select(REPORTS);
        vm.roleProperty().set(Role.VIEWER);

        assertThat(vm.canOperate().get()).isFalse();
        assertThat(vm.readOnlyReason().get()).contains("viewer role");
        vm.pause();
        assertThat(row.info().paused()).isFalse();
        assertThat(server.getQueue(REPORTS).paused()).isFalse();
        assertThat(vm.messageProperty().get()).contains("viewer role");
    }

    @Test
    void aNegativeLimitIsRefusedWithAClearMessage() {
        select(REPORTS);
        vm.limitProperty().set(-3);
        vm.applyLimit();
        assertThat(vm.messageProperty().get()).isEqualTo("A concurrency limit must be 0 or more, got -3.");
        assertThat(server.getQueue(REPORTS).override()).isNull();
    }
}
