package io.taskdeck.app.palette;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PaletteModelTest {

    private final PaletteModel model = new PaletteModel(List.of(
            new Command("Go to Local › Runs", "view", () -> { }),
            new Command("Go to Prod › Runs", "view", () -> { }),
            new Command("Trigger send-report…", "task", () -> { })),
            id -> new Command("Open run " + id, "run", () -> { }));

    @Test
    void everyWordMustMatchInAnyOrderAndCase() {
        assertThat(model.matching("runs prod")).extracting(Command::title).containsExactly("Go to Prod › Runs");
        assertThat(model.matching("REPORT")).extracting(Command::title).containsExactly("Trigger send-report…");
        assertThat(model.matching("")).hasSize(3);
    }

    @Test
    void aRunIdOffersToOpenIt() {
        assertThat(model.matching("run_abc123")).extracting(Command::title).containsExactly("Open run run_abc123");
    }
}
