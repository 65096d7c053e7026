package io.taskdeck.app;

import static io.taskdeck.app.ConsoleFixture.await;
import static io.taskdeck.app.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskdeck.app.connections.LocalEngine;
import io.taskdeck.app.runs.RunsController;
import io.taskdeck.client.HttpTaskServer;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.client.UnavailableException;
import io.taskdeck.engine.store.SqliteRunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * Local's own settings: a store another console holds or a file that is no store leaves Local
 * offline with the store's message and a way to another file; exposing Local on localhost lets an
 * HTTP client trigger into it.
 */
class LocalConnectionUiTest {

    @TempDir
    Path home;

    private final FxRobot robot = new FxRobot();
    private ConsoleFixture app;
    private SqliteRunStore otherConsole;

    @AfterEach
    void closeConsole() throws Exception {
        FxToolkit.cleanupStages();
        if (app != null && app.console != null) {
            app.console.close();
            app.local.close();
            assertThat(app.unhandled).isEmpty();
        }
        if (otherConsole != null) {
            otherConsole.close();
        }
    }

    @Test
    void aStoreHeldByAnotherConsoleLeavesLocalOfflineWithAWayToAnotherFile() throws Exception {
        Path held = LocalEngine.databaseFile(new AppHome(home));
        otherConsole = SqliteRunStore.open(held);
        app = new ConsoleFixture(home).open();

        await("Local is offline", () -> text("#status-connection").startsWith("Local: offline"));
        await("the banner shows why", () -> robot.lookup("#connection-banner").query().isVisible());
        assertThat(text("#connection-banner-text")).contains("in use by another Taskdeck process")
                .contains(held.toString()).doesNotContain("Exception").doesNotContain("\n\tat ");

        robot.clickOn("#connection-banner-action");
        await("Local's settings say why", () -> text("#local-store-state").startsWith("Local is offline: "));
        Path other = home.resolve("elsewhere").resolve("other.db");
        replaceText("#local-store-path", other.toString());
        robot.clickOn("#local-save");

        await("Local is connected on the other file", () -> text("#status-connection").equals("Local: connected"));
        assertThat(robot.lookup("#connection-banner").query().isVisible()).isFalse();
        assertThat(app.local.openFile()).isEqualTo(other);
        assertThat(Files.readString(home.resolve("settings.json"))).contains("other.db");

        // The Runs view that was on screen while Local was offline works on the new store.
        String runId = onFx(() -> app.console.currentSession().server()
                .trigger("noop", JsonNodeFactory.instance.objectNode(), TriggerOptions.NONE).id());
        await("the run is listed", () -> runs().viewModel().row(runId) != null);
    }

    @Test
    void aFileThatIsNoStoreIsReportedByName() throws Exception {
        Path foreign = LocalEngine.databaseFile(new AppHome(home));
        Files.writeString(foreign, "not a database, a shopping list: milk, eggs, flour, sugar, butter\n".repeat(100));
        app = new ConsoleFixture(home).open();

        await("Local is offline", () -> text("#status-connection").startsWith("Local: offline"));
        assertThat(text("#connection-banner-text")).contains(foreign.toString()).doesNotContain("Exception");
        assertThat(Files.readString(foreign)).startsWith("not a database"); // left untouched
    }

    @Test
    void exposingLocalLetsAnHttpClientTriggerIntoIt() throws Exception {
        app = new ConsoleFixture(home).open();
        await("Local is connected", () -> text("#status-connection").equals("Local: connected"));

        ConsoleFixture.chooseFromMenu(robot, "#connection-local", "Local settings\u2026");
        await("the settings are open", () -> robot.lookup("#local-expose").tryQuery().isPresent());
        assertThat(text("#local-expose-message")).startsWith("Off.");
        replaceText("#local-expose-port", "0"); // any free port
        robot.clickOn("#local-expose");

        await("the URL is shown", () -> field("#local-expose-url").startsWith("http://127.0.0.1:"));
        String url = field("#local-expose-url");
        String key = field("#local-expose-key");
        assertThat(key).startsWith("tdk_local_").hasSizeGreaterThan(30);

        String runId;
        try (TaskServer script = HttpTaskServer.builder().baseUrl(url).apiKey(key).build()) {
            runId = script.trigger("noop", JsonNodeFactory.instance.objectNode(), TriggerOptions.NONE).id();
        }
        await("the run triggered over HTTP is in Local's runs", () -> runs().viewModel().row(runId) != null);

        robot.clickOn("#local-expose");
        await("serving stopped", () -> field("#local-expose-url").equals("(off)"));
        try (TaskServer script = HttpTaskServer.builder().baseUrl(url).apiKey(key).build()) {
            assertThatThrownBy(() -> script.trigger("noop", JsonNodeFactory.instance.objectNode(), TriggerOptions.NONE))
                    .isInstanceOf(UnavailableException.class);
        }
        robot.clickOn("#local-close");
    }

    private RunsController runs() {
        return (RunsController) app.console.shell().currentController();
    }

    private void replaceText(String query, String text) throws Exception {
        robot.clickOn(query);
        onFx(() -> {
            robot.lookup(query).queryAs(TextField.class).setText(text);
            return null;
        });
    }

    private String field(String query) {
        return robot.lookup(query).tryQuery().map(n -> ((TextField) n).getText()).orElse("");
    }

    private String text(String query) {
        return robot.lookup(query).tryQuery().map(n -> ((Label) n).getText()).map(t -> t == null ? "" : t).orElse("");
    }
}
