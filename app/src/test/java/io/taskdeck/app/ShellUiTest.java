package io.taskdeck.app;

import static io.taskdeck.app.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.app.shell.Connection;
import io.taskdeck.app.shell.ConnectionState;
import io.taskdeck.app.shell.Destination;
import io.taskdeck.app.shell.View;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

class ShellUiTest extends ConsoleUiTest {

    @Test
    void opensOnLocalRunsWithTheAppIcon() {
        assertShowing(View.RUNS);
        assertThat(app.stage.getTitle()).isEqualTo("Taskdeck");
        assertThat(app.stage.getIcons()).hasSizeGreaterThanOrEqualTo(6);
        assertThat(robot.lookup("#connection-local").tryQuery()).isPresent();
    }

    @Test
    void everyNavigationEntryShowsItsView() {
        for (View view : View.values()) {
            robot.clickOn("#" + new Destination(Connection.LOCAL, view).navigationId());

            assertShowing(view);
        }
    }

    @Test
    void clickingTheCurrentEntryAgainKeepsItSelected() {
        robot.clickOn("#nav-local-queues");
        robot.clickOn("#nav-local-queues");

        assertThat(robot.lookup("#nav-local-queues").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertShowing(View.QUEUES);
    }

    @Test
    void shortcutsJumpToTheViews() {
        robot.push(KeyCode.CONTROL, KeyCode.DIGIT3);
        assertShowing(View.DEAD_LETTERS);

        robot.push(KeyCode.CONTROL, KeyCode.DIGIT5);
        assertShowing(View.TASKS);

        robot.push(KeyCode.CONTROL, KeyCode.DIGIT1);
        assertShowing(View.RUNS);
    }

    @Test
    void aViewKeepsItsStateAcrossVisits() {
        robot.clickOn("#nav-local-timeline");
        Object first = app.console.shell().controllerOf(new Destination(Connection.LOCAL, View.TIMELINE));
        robot.clickOn("#nav-local-runs");
        robot.clickOn("#nav-local-timeline");

        assertThat(app.console.shell().controllerOf(new Destination(Connection.LOCAL, View.TIMELINE))).isSameAs(first);
    }

    @Test
    void statusBarShowsTheLocalEngineConnectedWithItsFigures() throws Exception {
        ConsoleFixture.await("Local is connected", () -> text("#status-connection").equals("Local: connected"));
        assertThat(app.console.currentSession().stateProperty().get()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(text("#status-backlog")).isEqualTo("0");
        assertThat(robot.lookup("#connection-local .status-dot").queryAs(javafx.scene.layout.Region.class)
                .getStyleClass()).contains("state-success");
    }

    private void assertShowing(View view) {
        Node shown = app.console.shell().currentView();
        assertThat(shown.getId()).isEqualTo(view.key() + "-view");
        assertThat(shown.getScene()).isSameAs(app.stage.getScene());
        assertThat(text("#view-title")).isEqualTo(app.console.shellViewModel().titleOf(view));
        assertThat(robot.lookup("#nav-local-" + view.key()).queryAs(ToggleButton.class).isSelected()).isTrue();
        // Every view is built: none shows the "Coming soon" placeholder any more.
        assertThat(robot.lookup(".placeholder-badge").tryQuery()).isEmpty();
    }

    private String text(String query) {
        return robot.lookup(query).queryAs(Label.class).getText();
    }
}
