package io.taskdeck.app;

import static io.taskdeck.app.ConsoleFixture.await;
import static io.taskdeck.app.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskdeck.app.runs.RunRow;
import io.taskdeck.app.runs.RunsController;
import io.taskdeck.app.shell.View;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.client.TriggerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The keyboard (Ctrl+K, Ctrl+F, F5), live inserts under a user who looks elsewhere, and bulk actions. */
class KeyboardAndLiveUiTest extends ConsoleUiTest {

    @BeforeEach
    void localIsOpen() throws Exception {
        await("Local is connected", () -> app.console.currentSession().openProperty().get());
    }

    @Test
    void ctrlKJumpsToARunById() throws Exception {
        String runId = trigger("noop");
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT5);
        assertThat(app.console.shellViewModel().destination().view()).isEqualTo(View.TASKS);

        robot.push(KeyCode.CONTROL, KeyCode.K);
        await("the palette is open", () -> robot.lookup("#palette-query").tryQuery().isPresent());
        robot.clickOn("#palette-query").write(runId);
        await("the palette offers the run", () -> robot.lookup("#palette-results").queryListView()
                .getSelectionModel().getSelectedItem().toString().equals("Open run " + runId));
        robot.type(KeyCode.ENTER);

        assertThat(app.console.shellViewModel().destination().view()).isEqualTo(View.RUNS);
        await("the run is shown", () -> text("#detail-run-id").equals(runId));
        await("its row is selected", () -> table().getSelectionModel().getSelectedItem() != null
                && table().getSelectionModel().getSelectedItem().id().equals(runId));
        assertThat(robot.lookup("#palette-query").tryQuery()).isEmpty();
    }

    @Test
    void ctrlFGoesToTheRunsSearchFromAnyView() {
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT4);
        robot.push(KeyCode.CONTROL, KeyCode.F);

        assertThat(app.console.shellViewModel().destination().view()).isEqualTo(View.RUNS);
        assertThat(robot.lookup("#runs-search").queryAs(TextField.class).isFocused()).isTrue();
        robot.write("run_");
        assertThat(robot.lookup("#runs-search").queryAs(TextField.class).getText()).isEqualTo("run_");
    }

    @Test
    void f5ReloadsWhatLiveUpdatesLeftOut() throws Exception {
        robot.clickOn("#runs-live"); // off: new runs are not fetched
        String runId = trigger("noop");
        // Wait for the run's own events to pass through a tick, so that leaving it out is the view's choice.
        await("the run completed", () -> app.console.currentSession().server().getRun(runId).run().status()
                == RunStatus.COMPLETED);
        tickTwice();
        assertThat(runs().viewModel().row(runId)).isNull();

        robot.push(KeyCode.F5);

        await("F5 lists the run", () -> runs().viewModel().row(runId) != null);
    }

    @Test
    void liveInsertsKeepTheSelectionAndWhatTheUserLooksAt() throws Exception {
        List<TriggerRequest> batch = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            batch.add(new TriggerRequest("noop", JsonNodeFactory.instance.objectNode(), TriggerOptions.NONE));
        }
        onFx(() -> server().batchTrigger(batch));
        await("80 runs are listed", () -> table().getItems().size() == 80);
        onFx(() -> {
            table().scrollTo(40);
            table().layout();
            // Part of the top row scrolled out of sight, as a mouse wheel leaves it.
            ((VirtualFlow<?>) table().lookup(".virtual-flow")).scrollPixels(7);
            table().getSelectionModel().clearAndSelect(45);
            return null;
        });
        String selected = onFx(() -> table().getSelectionModel().getSelectedItem().id());
        double selectedY = onFx(() -> screenY(selected));
        assertThat(onFx(this::firstVisibleId)).isNotEqualTo(table().getItems().get(0).id());

        for (int i = 0; i < 3; i++) {
            trigger("noop");
        }
        await("the new runs are inserted at the top", () -> table().getItems().size() == 83);

        assertThat(onFx(() -> table().getSelectionModel().getSelectedItem().id())).isEqualTo(selected);
        assertThat(onFx(() -> table().getSelectionModel().getSelectedItems().size())).isEqualTo(1);
        // The selected row did not move on screen, so neither did the rows around it.
        assertThat(onFx(() -> screenY(selected))).isCloseTo(selectedY, org.assertj.core.data.Offset.offset(0.5));
        assertThat(text("#detail-run-id")).isEqualTo(selected);
    }

    @Test
    void cancelingManySelectedRunsGoesThroughOneBulkActionWithProgress() throws Exception {
        List<TriggerRequest> batch = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            batch.add(new TriggerRequest("noop", JsonNodeFactory.instance.objectNode(),
                    TriggerOptions.builder().delay(Duration.ofHours(1)).build()));
        }
        onFx(() -> server().batchTrigger(batch));
        await("12 delayed runs are listed", () -> table().getItems().size() == 12);
        onFx(() -> {
            table().getSelectionModel().selectAll();
            return null;
        });

        robot.clickOn("#runs-cancel");

        await("the bulk action finished", () -> text("#runs-message").equals("Canceled 12 runs."));
        await("every row shows CANCELED, live", () -> table().getItems().stream()
                .allMatch(r -> r.run().status() == RunStatus.CANCELED));
        assertThat(onFx(() -> server().listBulkActions())).hasSize(1);
        assertThat(robot.lookup("#runs-bulk-progress").query().isVisible()).isFalse();
    }

    /** Where a run's row is on screen. */
    private double screenY(String runId) {
        table().layout();
        return robot.lookup("#runs-table .table-row-cell").queryAll().stream()
                .map(n -> (javafx.scene.control.TableRow<?>) n)
                .filter(r -> r.getItem() instanceof RunRow row && row.id().equals(runId) && r.isVisible())
                .findFirst().orElseThrow(() -> new AssertionError(runId + " is not on screen"))
                .localToScene(0, 0).getY();
    }

    private String firstVisibleId() {
        VirtualFlow<?> flow = (VirtualFlow<?>) table().lookup(".virtual-flow");
        return table().getItems().get(flow.getFirstVisibleCell().getIndex()).id();
    }

    /** Two ticks of the console's live updates, run now rather than waited for. */
    private void tickTwice() throws Exception {
        onFx(() -> {
            app.console.tick();
            app.console.tick();
            return null;
        });
    }

    private TaskServer server() {
        return app.console.currentSession().server();
    }

    private String trigger(String task) throws Exception {
        return onFx(() -> server().trigger(task, JsonNodeFactory.instance.objectNode(), TriggerOptions.NONE).id());
    }

    private RunsController runs() {
        return (RunsController) app.console.shell().currentController();
    }

    @SuppressWarnings("unchecked")
    private TableView<RunRow> table() {
        return robot.lookup("#runs-table").queryAs(TableView.class);
    }

    private String text(String query) {
        return robot.lookup(query).tryQuery().map(n -> ((Label) n).getText()).map(t -> t == null ? "" : t).orElse("");
    }
}
