package io.taskdeck.app;

import static io.taskdeck.app.ConsoleFixture.await;
import static io.taskdeck.app.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.app.deadletters.DeadLettersController;
import io.taskdeck.app.runs.RunsController;
import io.taskdeck.app.shell.View;
import io.taskdeck.client.DeadLetterGroup;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.client.TriggerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableRow;
import javafx.scene.control.TextArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The on-call flow through the Dead letters view, on Local and on a server over HTTP: a failed run
 * lands in its error group; an edited payload (checked against the schema) makes it complete and
 * it shows live in Runs; a group requeue of 500 runs shows its progress and completes; discard asks
 * first, stating the count; a viewer key cannot act.
 */
class DeadLettersUiTest extends ConsoleUiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TriggerOptions ONE_ATTEMPT = TriggerOptions.builder().maxAttempts(1).build();
    private RemoteServerFixture remote;

    @AfterEach
    void stopRemote() {
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    void fixAndRequeueOnLocal() throws Exception {
        await("Local is connected", () -> app.console.currentSession().openProperty().get());
        fixAndRequeue();
    }

    @Test
    void fixAndRequeueOnARemoteServer() throws Exception {
        remote = new RemoteServerFixture();
        remote.addTo(robot, "Staging", RemoteServerFixture.OPERATOR_KEY);
        await("Staging is connected", () -> app.console.currentSession().connection().name().equals("Staging")
                && app.console.currentSession().openProperty().get());
        fixAndRequeue();
    }

    @Test
    void aViewerKeyCanInspectButNotAct() throws Exception {
        remote = new RemoteServerFixture();
        remote.engine.trigger("always-fail", java.util.Map.of("message", "nope"),
                io.taskdeck.engine.TriggerOptions.builder().maxAttempts(1).build());
        remote.addTo(robot, "Prod", RemoteServerFixture.VIEWER_KEY);
        await("Prod is connected", () -> app.console.currentSession().connection().name().equals("Prod")
                && app.console.currentSession().openProperty().get());
        goToDeadLetters();
        await("the failure is listed", () -> group("always-fail") != null);
        openGroup("always-fail");
        clickRun(0);

        await("the role is known", () -> text("#dl-readonly").contains("viewer role"));
        assertThat(robot.lookup("#dl-requeue").queryAs(Button.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#dl-discard").queryAs(Button.class).isDisabled()).isTrue();
        await("the run can still be read", () -> text("#detail-status").equals("Failed"));
    }

    private void fixAndRequeue() throws Exception {
        TaskServer server = app.console.currentSession().server();
        String flaky = onFx(() -> server.trigger("flaky", JSON.readTree("{\"failTimes\": 9}"), ONE_ATTEMPT).id());
        goToDeadLetters();

        await("the failed run lands in the dead letters", () -> group("flaky") != null);
        openGroup("flaky");
        await("its run is listed", () -> runs().size() == 1);
        clickRun(0);
        await("the detail shows the error", () -> text("#detail-run-id").equals(flaky)
                && text("#detail-status").equals("Failed"));

        // Edit the payload: the schema check keeps a wrong one from being sent.
        robot.clickOn("#dl-requeue-edited");
        await("the editor opens", () -> robot.lookup("#requeue-payload").tryQuery().isPresent());
        setPayload("{\"failTimes\": \"none\"}");
        assertThat(text("#requeue-problem")).contains("failTimes");
        assertThat(okButton().isDisabled()).isTrue();
        setPayload("{\"failTimes\": 0}");
        assertThat(okButton().isDisabled()).isFalse();
        robot.clickOn(okButton());

        await("the run completes", () -> server.getRun(flaky).run().status() == RunStatus.COMPLETED);
        await("and leaves the dead letters", () -> group("flaky") == null);
        onFx(() -> {
            app.console.shellViewModel().navigate(View.RUNS);
            return null;
        });
        await("it is in Runs, completed, with the new payload's output", () ->
                ((RunsController) app.console.shell().currentController()).viewModel().row(flaky) != null
                        && ((RunsController) app.console.shell().currentController()).viewModel().row(flaky).run()
                        .status() == RunStatus.COMPLETED);

        // 500 failures of one kind: requeue the whole group at 200 runs/s, and watch the progress.
        var ledger = JSON.readTree("{\"message\": \"ledger locked\"}");
        onFx(() -> server.batchTrigger(IntStream.range(0, 500)
                .mapToObj(i -> new TriggerRequest("always-fail", ledger, ONE_ATTEMPT)).toList()));
        goToDeadLetters();
        await("500 in one group", () -> group("always-fail") != null && group("always-fail").count() == 500);
        openGroup("always-fail");
        // At least the first page: the table may ask for the next one as it lays out its rows
        // (the row factory loads more when a row near the end is filled, and estimating row
        // heights fills such rows too), so 200 is as right as 100 here.
        await("the first page is listed", () -> runs().size() >= 100);
        robot.clickOn("#dl-select-all");
        await("the whole group is the target", () -> text("#dl-runs-count").equals("all 500 runs selected"));
        onFx(() -> {
            ChoiceBox<Double> rate = robot.lookup("#dl-rate").query();
            rate.getSelectionModel().select(Double.valueOf(200.0));
            return null;
        });
        List<Double> progress = new CopyOnWriteArrayList<>();
        onFx(() -> {
            robot.lookup("#dl-bulk-progress").queryAs(ProgressBar.class).progressProperty()
                    .addListener((obs, old, now) -> progress.add(now.doubleValue()));
            return null;
        });
        robot.clickOn("#dl-requeue");
        await("the requeue finishes", () -> text("#dl-message").equals("Requeue finished: 500 succeeded, 0 failed."));
        assertThat(progress).isSorted().last().isEqualTo(1.0);
        assertThat(progress).anyMatch(p -> p > 0 && p < 1);

        // They fail again and come back; discard them all, after a question that says how many.
        await("the 500 are back", () -> group("always-fail") != null && group("always-fail").count() == 500);
        openGroup("always-fail");
        robot.clickOn("#dl-select-all");
        robot.clickOn("#dl-discard");
        await("the question is asked", () -> robot.lookup("#confirm-discard").tryQuery().isPresent());
        DialogPane confirm = robot.lookup("#confirm-discard").queryAs(DialogPane.class);
        assertThat(confirm.getContentText()).startsWith("Discard 500 runs?");
        robot.clickOn(confirm.lookupButton(ButtonType.OK));
        await("the discard finishes and the group is gone", () -> text("#dl-message")
                .equals("Discard finished: 500 succeeded, 0 failed.") && group("always-fail") == null);
    }

    private void goToDeadLetters() throws Exception {
        onFx(() -> {
            app.console.shellViewModel().navigate(View.DEAD_LETTERS);
            return null;
        });
    }

    private DeadLettersController controller() {
        return (DeadLettersController) app.console.shell().currentController();
    }

    private DeadLetterGroup group(String taskId) {
        return controller().viewModel().groups().stream().filter(g -> taskId.equals(g.taskId())).findFirst()
                .orElse(null);
    }

    private List<Run> runs() {
        return controller().viewModel().runs();
    }

    /**
     * Clicks the group's row until the group is open: while failures are still arriving, each
     * live refresh replaces the groups table's rows, and a click that lands during one is lost
     * (a user clicks again; so does the test, a bounded number of times).
     */
    private void openGroup(String taskId) throws Exception {
        for (int attempt = 1; ; attempt++) {
            Node row = robot.lookup("#dl-groups .table-row-cell")
                    .match((TableRow<?> r) -> r.getItem() instanceof DeadLetterGroup g && taskId.equals(g.taskId()))
                    .query();
            robot.clickOn(row);
            try {
                WaitForAsyncUtils.waitFor(3, TimeUnit.SECONDS, () -> onFx(() -> {
                    DeadLetterGroup open = controller().viewModel().groupProperty().get();
                    return open != null && taskId.equals(open.taskId());
                }));
                return;
            } catch (TimeoutException e) {
                if (attempt == 5) {
                    throw new AssertionError("the " + taskId + " group did not open after " + attempt + " clicks", e);
                }
            }
        }
    }

    private void clickRun(int index) {
        Node row = robot.lookup("#dl-runs .table-row-cell").match((TableRow<?> r) -> r.getIndex() == index
                && r.getItem() != null).query();
        robot.clickOn(row);
    }

    private void setPayload(String text) throws Exception {
        onFx(() -> {
            robot.lookup("#requeue-payload").queryAs(TextArea.class).setText(text);
            return null;
        });
    }

    private Button okButton() {
        return robot.lookup("#requeue-ok").queryAs(Button.class);
    }

    private String text(String query) {
        return robot.lookup(query).tryQuery().map(n -> ((Label) n).getText()).map(t -> t == null ? "" : t).orElse("");
    }
}
