package io.taskdeck.app;

import static io.taskdeck.app.ConsoleFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.app.shell.Connection;
import io.taskdeck.app.shell.Destination;
import io.taskdeck.app.shell.View;
import io.taskdeck.client.Role;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.server.ApiKey;
import io.taskdeck.server.TaskdeckServer;
import java.nio.file.Files;
import java.time.Duration;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Editing and removing a remote connection from its menu in the sidebar. */
class ConnectionsUiTest extends ConsoleUiTest {

    private static final String SECRET = "connections-test-secret-42";
    private Engine remoteEngine;
    private TaskdeckServer remote;

    @BeforeEach
    void startRemoteAndAddIt() throws Exception {
        remoteEngine = Engine.builder().store(new MemoryRunStore()).nodeId("remote").build().start();
        remote = TaskdeckServer.builder().engine(remoteEngine).host("127.0.0.1").port(0)
                .key(new ApiKey("test", SECRET, Role.OPERATOR)).start();
        robot.clickOn("#add-connection");
        replaceText("#connection-name", "Staging");
        replaceText("#connection-url", remote.baseUrl());
        replaceText("#connection-key", SECRET);
        robot.clickOn("#connection-save");
        await("Staging is connected", () -> text("#status-connection").equals("Staging: connected"));
    }

    @AfterEach
    void stopRemote() {
        remote.close();
        remoteEngine.stop(Duration.ofSeconds(2));
    }

    @Test
    void editingTheKeyReopensTheConnectionInPlaceAndIsSaved() throws Exception {
        Object runsView = app.console.shell().controllerOf(new Destination(staging(), View.RUNS));

        openMenuItem("Edit connection\u2026");
        replaceText("#connection-key", "a-key-the-server-does-not-know");
        robot.clickOn("#connection-save");

        await("the new key is refused, said plainly", () -> text("#status-connection").contains("refused the API key"));
        assertThat(text("#runs-message")).contains("refused the API key");
        assertThat(Files.readString(home.resolve("credentials.properties"))).contains("a-key-the-server-does-not-know");

        openMenuItem("Edit connection\u2026");
        replaceText("#connection-key", SECRET);
        robot.clickOn("#connection-save");

        await("connected again", () -> text("#status-connection").equals("Staging: connected"));
        await("the runs view reloaded", () -> text("#runs-message").equals("No runs match these filters."));
        // The same view stayed on screen, following the reopened session.
        assertThat(app.console.shell().controllerOf(new Destination(staging(), View.RUNS))).isSameAs(runsView);
    }

    @Test
    void renamingShowsTheNewNameAndKeepsTheConnectionWorking() throws Exception {
        openMenuItem("Edit connection\u2026");
        replaceText("#connection-name", "Staging EU");
        robot.clickOn("#connection-save");

        await("the new name is shown", () -> text("#status-connection").equals("Staging EU: connected"));
        assertThat(robot.lookup("#connection-staging .connection-name").queryAs(Label.class).getText())
                .isEqualTo("Staging EU");
        assertThat(Files.readString(home.resolve("connections.json"))).contains("Staging EU");
    }

    @Test
    void removingAsksFirstThenForgetsTheConnectionAndItsKey() throws Exception {
        openMenuItem("Remove connection");
        await("the confirmation is shown", () -> robot.lookup("Remove Staging?").tryQuery().isPresent());
        robot.clickOn("Cancel");
        assertThat(app.console.shellViewModel().connections()).contains(staging());

        openMenuItem("Remove connection");
        await("the confirmation is shown", () -> robot.lookup("Remove Staging?").tryQuery().isPresent());
        robot.clickOn("OK");

        assertThat(app.console.shellViewModel().connections()).containsExactly(Connection.LOCAL);
        assertThat(app.console.shellViewModel().destination().connection()).isEqualTo(Connection.LOCAL);
        assertThat(robot.lookup("#connection-staging").tryQuery()).isEmpty();
        assertThat(Files.readString(home.resolve("connections.json"))).doesNotContain("Staging");
        assertThat(Files.readString(home.resolve("credentials.properties"))).doesNotContain(SECRET);
    }

    private Connection staging() {
        return app.console.shellViewModel().connections().stream().filter(c -> c.id().equals("staging"))
                .findFirst().orElseThrow();
    }

    private void openMenuItem(String item) throws Exception {
        ConsoleFixture.chooseFromMenu(robot, "#connection-staging", item);
    }

    private void replaceText(String query, String text) throws Exception {
        await(query + " is shown", () -> robot.lookup(query).tryQuery().isPresent());
        robot.clickOn(query);
        // Set, not typed: typing is covered elsewhere and costs a round trip per character.
        ConsoleFixture.onFx(() -> {
            robot.lookup(query).queryAs(TextField.class).setText(text);
            return null;
        });
    }

    private String text(String query) {
        return robot.lookup(query).tryQuery().map(n -> ((Label) n).getText()).map(t -> t == null ? "" : t).orElse("");
    }
}
