package io.taskdeck.app.fxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskdeck.app.AppHome;
import io.taskdeck.app.Console;
import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.runs.RunsController;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

class FxmlLoaderFactoryTest {

    @TempDir
    Path home;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void everyViewLoadsWithTheConsolesRegistrations() throws Exception {
        Console console = new Console(new AppHome(home), UiTasks.currentThread(e -> { }), Locale.ENGLISH,
                new io.taskdeck.app.connections.LocalEngine(new AppHome(home)),
                io.taskdeck.app.connections.ConnectionManager::http);

        for (FxmlFile file : FxmlFile.values()) {
            FxmlLoaderFactory.LoadedView<Object> view = onFx(() -> console.fxml().load(file));

            assertThat(view.root()).as(file.name()).isNotNull();
            assertThat(view.controller()).as(file.name()).isNotNull();
        }
    }

    @Test
    void aViewWhoseControllerWasNeverRegisteredFailsLoudly() {
        FxmlLoaderFactory fxml = new FxmlLoaderFactory(ControllerFactory.builder().build(),
                Console.strings(Locale.ENGLISH));

        assertThatThrownBy(() -> onFx(() -> fxml.load(FxmlFile.RUNS)))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(FxmlLoadException.class)
                .hasMessageContaining("RUNS")
                .hasMessageContaining("/io/taskdeck/app/runs/runs.fxml")
                .hasMessageContaining(RunsController.class.getName() + " is not registered");
    }

    @Test
    void aControllerCannotBeRegisteredTwice() {
        ControllerFactory.Builder builder = ControllerFactory.builder().register(RunsController.class, () -> null);

        assertThatThrownBy(() -> builder.register(RunsController.class, () -> null))
                .hasMessage(RunsController.class.getName() + " is registered twice");
    }

    @Test
    void theFactoryRefusesUnknownTypesByName() {
        ControllerFactory factory = ControllerFactory.builder().build();

        assertThatThrownBy(() -> factory.call(String.class))
                .isInstanceOf(ControllerFactory.UnregisteredControllerException.class)
                .hasMessage("No controller registered for java.lang.String");
    }

    private static <T> T onFx(Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get(10, TimeUnit.SECONDS);
    }
}
