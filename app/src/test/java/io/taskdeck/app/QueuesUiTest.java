package io.taskdeck.app;

import static io.taskdeck.app.ConsoleFixture.await;
import static io.taskdeck.app.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.app.queues.QueueRow;
import io.taskdeck.app.queues.QueuesController;
import io.taskdeck.app.shell.View;
import io.taskdeck.client.QueueInfo;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.client.TriggerRequest;
import java.util.stream.IntStream;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live concurrency tuning through the Queues view, on Local and on a server over HTTP: a raised
 * limit lets more runs execute at once, a lowered one is never exceeded, pause stops new starts;
 * and a viewer key sees the figures but cannot act.
 */
class QueuesUiTest extends ConsoleUiTest {

    private RemoteServerFixture remote;

    @BeforeEach
    void resetGate() {
        GateTasks.reset();
    }

    @AfterEach
    void stopRemote() {
        GateTasks.openAll();
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    void tuneAndPauseOnLocal() throws Exception {
        await("Local is connected", () -> app.console.currentSession().openProperty().get());
        tuneAndPause();
    }

    @Test
    void tuneAndPauseOnARemoteServer() throws Exception {
        remote = new RemoteServerFixture();
        remote.addTo(robot, "Staging", RemoteServerFixture.OPERATOR_KEY);
        await("Staging is connected", () -> app.console.currentSession().connection().name().equals("Staging")
                && app.console.currentSession().openProperty().get());
        tuneAndPause();
    }

    @Test
    void aViewerKeySeesTheQueuesButCannotChangeThem() throws Exception {
        remote = new RemoteServerFixture();
        remote.addTo(robot, "Prod", RemoteServerFixture.VIEWER_KEY);
        await("Prod is connected", () -> app.console.currentSession().connection().name().equals("Prod")
                && app.console.currentSession().openProperty().get());
        onFx(() -> {
            app.console.shellViewModel().navigate(View.QUEUES);
            return null;
        });
        await("the queues are listed", () -> row(GateTasks.QUEUE) != null);
        clickRow(GateTasks.QUEUE);

        await("the role is known", () -> text("#queue-readonly").contains("viewer role"));
        assertThat(robot.lookup("#queue-apply").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#queue-pause").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#queue-limit").queryAs(Spinner.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#queue-actions").queryAs(Node.class).getProperties().get("javafx.scene.control.Tooltip"))
                .isNotNull();
    }

    private void tuneAndPause() throws Exception {
        TaskServer server = app.console.currentSession().server();
        onFx(() -> {
            app.console.shellViewModel().navigate(View.QUEUES);
            return null;
        });
        onFx(() -> server.batchTrigger(IntStream.range(0, 8)
                .mapToObj(i -> new TriggerRequest(GateTasks.GATE, null, TriggerOptions.NONE)).toList()));
        await("the gate queue is listed", () -> row(GateTasks.QUEUE) != null);
        clickRow(GateTasks.QUEUE);
        await("8 run at the base limit of 10", () -> running(8, 10));

        // Lower to 2 (typed, forecast shown before Enter): the 8 running finish, then 2 at a time.
        typeLimit("2");
        assertThat(text("#queue-forecast")).startsWith("At a limit of 2: ");
        assertThat(server.getQueue(GateTasks.QUEUE).override()).isNull();
        robot.clickOn(editor()).type(KeyCode.ENTER);
        await("the table shows the override", () -> info().concurrencyLimit() == 2);
        assertThat(text("#queue-limit-origin")).contains("Base 10 · override 2, set by ");
        onFx(() -> server.batchTrigger(IntStream.range(0, 6)
                .mapToObj(i -> new TriggerRequest(GateTasks.GATE, null, TriggerOptions.NONE)).toList()));
        GateTasks.clearStarts();
        GateTasks.release(8);
        await("2 of the new runs execute", () -> running(2, 2) && info().queued() == 4);

        // Raise to 5: more run at once, seen in the running count.
        typeLimit("5");
        robot.clickOn(editor()).type(KeyCode.ENTER);
        await("5 execute", () -> running(5, 5) && info().queued() == 1);

        // Lower to 1: nothing new starts until the 5 are done; then one at a time.
        typeLimit("1");
        robot.clickOn(editor()).type(KeyCode.ENTER);
        await("the limit of 1 is in force", () -> info().concurrencyLimit() == 1);
        GateTasks.clearStarts();
        GateTasks.release(5);
        await("the last run starts alone", () -> GateTasks.starts().size() == 1 && running(1, 1));
        assertThat(GateTasks.starts()).containsOnly(1);

        // Pause while a run executes: confirm; it finishes, the next ones wait until resume.
        onFx(() -> server.batchTrigger(IntStream.range(0, 2)
                .mapToObj(i -> new TriggerRequest(GateTasks.GATE, null, TriggerOptions.NONE)).toList()));
        await("2 wait behind the running one", () -> info().queued() == 2);
        robot.clickOn("#queue-pause");
        await("the pause is confirmed first", () -> robot.lookup("#confirm-pause").tryQuery().isPresent());
        assertThat(robot.lookup("#confirm-pause .content").queryAs(Label.class).getText())
                .startsWith("1 run is executing on " + GateTasks.QUEUE);
        robot.clickOn(robot.lookup("#confirm-pause").queryAs(DialogPane.class).lookupButton(ButtonType.OK));
        await("the queue shows paused", () -> info().paused() && text("#queue-pause").equals("Resume"));
        int finishedBefore = GateTasks.finished();
        GateTasks.clearStarts();
        GateTasks.release(1);
        await("the running one finished and nothing started", () -> GateTasks.finished() == finishedBefore + 1
                && info().running() == 0 && info().queued() == 2);
        assertThat(GateTasks.starts()).isEmpty();

        robot.clickOn("#queue-pause");
        await("resumed, one starts", () -> !info().paused() && running(1, 1) && info().queued() == 1);

        robot.clickOn("#queue-reset");
        await("reset to the base limit", () -> info().concurrencyLimit() == 10 && info().override() == null
                && running(2, 10));
    }

    private QueuesController controller() {
        return (QueuesController) app.console.shell().currentController();
    }

    private QueueRow row(String name) {
        return controller().viewModel().row(name);
    }

    private QueueInfo info() {
        return row(GateTasks.QUEUE).info();
    }

    /** The table shows "running / limit". */
    private boolean running(int running, int limit) {
        return cellText(GateTasks.QUEUE, "col-running").equals(running + " / " + limit);
    }

    @SuppressWarnings("unchecked")
    private String cellText(String queue, String columnId) {
        TableView<QueueRow> table = robot.lookup("#queues-table").queryAs(TableView.class);
        var column = table.getColumns().stream().filter(c -> columnId.equals(c.getId())).findFirst().orElseThrow();
        QueueRow r = row(queue);
        Object value = column.getCellObservableValue(r).getValue();
        return value == null ? "" : value.toString();
    }

    private void clickRow(String queue) {
        Node cell = robot.lookup("#queues-table .table-row-cell")
                .match((TableRow<?> r) -> r.getItem() instanceof QueueRow q && q.name().equals(queue))
                .query();
        robot.clickOn(cell);
    }

    private Node editor() {
        return robot.lookup("#queue-limit").queryAs(Spinner.class).getEditor();
    }

    private void typeLimit(String value) throws Exception {
        onFx(() -> {
            robot.lookup("#queue-limit").queryAs(Spinner.class).getEditor().setText(value);
            return null;
        });
    }

    private String text(String query) {
        return robot.lookup(query).tryQuery().map(n -> n instanceof Label l ? l.getText()
                : n instanceof Button b ? b.getText() : "").map(t -> t == null ? "" : t).orElse("");
    }
}
