package io.taskdeck.app.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.client.RunStatus;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.MenuButton;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

class StatusFilterMenuTest {

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void tickingStatusesFiltersByThemAndTheLabelSaysWhich() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            MenuButton menu = new MenuButton();
            ObservableSet<RunStatus> statuses = FXCollections.observableSet(RunStatus.FAILED);
            AtomicInteger changes = new AtomicInteger();
            StatusFilterMenu.install(menu, statuses, "f-", changes::incrementAndGet);

            assertThat(menu.getItems()).hasSize(RunStatus.values().length);
            assertThat(menu.getText()).isEqualTo("Failed");
            assertThat(item(menu, "f-FAILED").isSelected()).as("a status already chosen is ticked").isTrue();

            item(menu, "f-CRASHED").setSelected(true);
            assertThat(statuses).containsExactlyInAnyOrder(RunStatus.FAILED, RunStatus.CRASHED);
            assertThat(menu.getText()).isEqualTo("2 statuses");
            assertThat(changes).hasValue(1);

            StatusFilterMenu.clear(menu);
            assertThat(statuses).isEmpty();
            assertThat(menu.getText()).isEqualTo("All statuses");
            assertThat(changes).hasValue(3);
        }).get();
    }

    private static CheckMenuItem item(MenuButton menu, String id) {
        return (CheckMenuItem) menu.getItems().stream().filter(i -> id.equals(i.getId())).findFirst().orElseThrow();
    }
}
