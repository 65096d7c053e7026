package io.taskdeck.app.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskdeck.app.theme.Theme;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {

    @TempDir
    Path dir;

    @Test
    void firstStartHasDefaults() {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"));

        assertThat(store.load()).isEqualTo(Settings.DEFAULTS);
        assertThat(Settings.DEFAULTS.theme()).isEqualTo(Theme.LIGHT);
        assertThat(Settings.DEFAULTS.windowBounds()).isEmpty();
    }

    @Test
    void savedSettingsComeBack() {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"));
        Settings saved = new Settings(Theme.DARK, new WindowBounds(10, 20.5, 1200, 700, true));

        store.save(saved);

        assertThat(new SettingsStore(dir.resolve("settings.json")).load()).isEqualTo(saved);
    }

    @Test
    void fileIsReadableJson() throws IOException {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"));
        store.save(Settings.DEFAULTS.withTheme(Theme.DARK));

        assertThat(Files.readString(store.file())).contains("\"theme\" : \"dark\"").contains("\"version\" : 1");
    }

    @Test
    void saveCreatesMissingDirectoriesAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("nested/home/settings.json");
        SettingsStore store = new SettingsStore(file);

        store.save(Settings.DEFAULTS);
        store.save(Settings.DEFAULTS.withTheme(Theme.DARK));

        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void brokenJsonGivesDefaultsAndIsKeptAside() throws IOException {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{\"theme\": \"dark\", ");

        assertThat(new SettingsStore(file).load()).isEqualTo(Settings.DEFAULTS);
        assertThat(dir.resolve("settings.json.broken")).hasContent("{\"theme\": \"dark\", ");
    }

    @Test
    void unknownThemeFallsBackButKeepsTheWindow() throws IOException {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, """
                {"theme": "solarized", "window": {"x": 1, "y": 2, "width": 900, "height": 600}}""");

        Settings loaded = new SettingsStore(file).load();

        assertThat(loaded.theme()).isEqualTo(Theme.LIGHT);
        assertThat(loaded.window()).isEqualTo(new WindowBounds(1, 2, 900, 600, false));
    }

    @Test
    void impossibleWindowIsForgottenButThemeKept() throws IOException {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, """
                {"theme": "DARK", "window": {"x": 1, "y": 2, "width": -5, "height": "tall"}}""");

        Settings loaded = new SettingsStore(file).load();

        assertThat(loaded.theme()).isEqualTo(Theme.DARK);
        assertThat(loaded.window()).isNull();
    }

    @Test
    void unknownFieldsFromANewerVersionAreIgnored() throws IOException {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, """
                {"version": 7, "theme": "dark", "connections": [{"url": "https://x"}]}""");

        assertThat(new SettingsStore(file).load().theme()).isEqualTo(Theme.DARK);
    }

    @Test
    void unwritableLocationNamesTheFile() throws IOException {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "");
        SettingsStore store = new SettingsStore(blocker.resolve("settings.json"));

        assertThatThrownBy(() -> store.save(Settings.DEFAULTS))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(blocker.resolve("settings.json").toString());
    }

    @Test
    void windowBoundsRejectNonsenseWithTheFieldName() {
        assertThatThrownBy(() -> new WindowBounds(0, 0, 0, 600, false))
                .hasMessage("window width must be a positive number, was 0.0");
        assertThatThrownBy(() -> new WindowBounds(Double.NaN, 0, 800, 600, false))
                .hasMessage("window x must be a finite number, was NaN");
    }
}
