package io.taskdeck.app;

import static io.taskdeck.app.ConsoleFixture.await;
import static io.taskdeck.app.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.app.runs.RunRow;
import io.taskdeck.app.runs.RunsController;
import io.taskdeck.client.Role;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.TaskInfo;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.TaskProvider;
import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.server.ApiKey;
import io.taskdeck.server.TaskdeckServer;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console's main flow through the real engine: trigger from the dialog, watch the run go live
 * to COMPLETED, filter, open the detail, replay — on Local (in process) and on a real server over
 * HTTP; and a wrong key saying so.
 */
class RunsFlowUiTest extends ConsoleUiTest {

    private static final String SECRET = "test-secret-key-0123456789";
    private Engine remoteEngine;
    private TaskdeckServer remote;

    @AfterEach
    void stopRemote() {
        if (remote != null) {
            remote.close();
        }
        if (remoteEngine != null) {
            remoteEngine.stop(Duration.ofSeconds(2));
        }
    }

    @Test
    void triggerWatchFilterOpenAndReplayOnLocal() throws Exception {
        await("Local is connected", () -> app.console.currentSession().openProperty().get());
        runTheFlow();
    }

    @Test
    void theSameFlowAgainstARemoteServerOverHttp() throws Exception {
        startRemote();
        addConnection("Staging", remote.baseUrl(), SECRET);

        await("Staging is connected", () -> statusText().equals("Staging: connected"));
        assertThat(app.console.shellViewModel().destination().connection().name()).isEqualTo("Staging");
        runTheFlow();
    }

    @Test
    void aWrongKeyShowsAClearMessage() throws Exception {
        startRemote();
        addConnection("Prod", remote.baseUrl(), "not-the-right-key-000000");

        await("the refused key is reported", () -> statusText().contains("refused the API key"));
        await("the runs view says so", () -> text("#runs-message").contains("refused the API key"));
        assertThat(statusText()).startsWith("Prod: ").doesNotContain("Exception");
    }

    private void runTheFlow() throws Exception {
        // Another task's run, so that the filter has something to hide.
        onFx(() -> app.console.currentSession().server().trigger("sleep",
                new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"ms\": 1}"), TriggerOptions.NONE));

        robot.clickOn("#runs-trigger");
        await("the task list is loaded", () -> !taskCombo().getItems().isEmpty());
        onFx(() -> {
            ComboBox<TaskInfo> combo = taskCombo();
            combo.setValue(combo.getItems().stream().filter(t -> t.id().equals("noop")).findFirst().orElseThrow());
            return null;
        });
        await("the payload is filled in", () -> !robot.lookup("#trigger-payload")
                .queryAs(javafx.scene.control.TextArea.class).getText().isBlank());
        robot.clickOn("#trigger-send");
        await("the run is triggered", () -> text("#trigger-message").startsWith("Triggered run_"));
        String runId = text("#trigger-message").substring("Triggered ".length(), text("#trigger-message").length() - 1);
        robot.clickOn("#trigger-open-run");

        await("the run shows COMPLETED, live", () -> row(runId) != null
                && row(runId).run().status() == RunStatus.COMPLETED);
        await("the detail shows the run", () -> text("#detail-run-id").equals(runId)
                && text("#detail-status").equals("Completed"));
        assertThat(table().getSelectionModel().getSelectedItem().id()).isEqualTo(runId);

        robot.clickOn("#runs-task-filter").write("noop").type(KeyCode.ENTER);
        await("only noop runs are listed", () -> !table().getItems().isEmpty()
                && table().getItems().stream().allMatch(r -> r.run().taskId().equals("noop")));

        robot.clickOn("#detail-replay");
        await("the replay is listed and shown", () -> table().getItems().size() == 2
                && !text("#detail-run-id").equals(runId) && text("#detail-run-id").startsWith("run_"));
        String replayId = text("#detail-run-id");
        await("the replay completes", () -> row(replayId) != null
                && row(replayId).run().status() == RunStatus.COMPLETED);
    }

    private void startRemote() {
        remoteEngine = Engine.builder().store(new MemoryRunStore()).nodeId("remote").build();
        for (TaskProvider p : ServiceLoader.load(TaskProvider.class)) {
            p.tasks().forEach(remoteEngine::register);
        }
        remoteEngine.start();
        remote = TaskdeckServer.builder().engine(remoteEngine).host("127.0.0.1").port(0)
                .key(new ApiKey("test", SECRET, Role.OPERATOR)).start();
    }

    private void addConnection(String name, String url, String key) {
        robot.clickOn("#add-connection");
        robot.clickOn("#connection-name").write(name);
        robot.clickOn("#connection-url").write(url);
        robot.clickOn("#connection-key").write(key);
        robot.clickOn("#connection-save");
    }

    @SuppressWarnings("unchecked")
    private ComboBox<TaskInfo> taskCombo() {
        return robot.lookup("#trigger-task").queryAs(ComboBox.class);
    }

    @SuppressWarnings("unchecked")
    private TableView<RunRow> table() {
        return robot.lookup("#runs-table").queryAs(TableView.class);
    }

    private RunRow row(String id) {
        return ((RunsController) app.console.shell().currentController()).viewModel().row(id);
    }

    private String statusText() {
        return text("#status-connection");
    }

    private String text(String query) {
        return robot.lookup(query).tryQuery().map(n -> ((Label) n).getText()).map(t -> t == null ? "" : t).orElse("");
    }

    static List<String> ids(TableView<RunRow> table) {
        return table.getItems().stream().map(RunRow::id).toList();
    }
}
