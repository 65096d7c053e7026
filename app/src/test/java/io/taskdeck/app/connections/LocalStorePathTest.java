package io.taskdeck.app.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskdeck.app.settings.Settings;
import io.taskdeck.app.settings.SettingsStore;
import io.taskdeck.app.theme.Theme;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Local's settings accept for a store file and a port, and what they say otherwise. */
class LocalStorePathTest {

    @TempDir
    Path dir;

    @Test
    void aNewFileInANewFolderIsFine() {
        Path file = dir.resolve("a").resolve("b").resolve("runs.db");
        assertThat(LocalStorePath.parse("  " + file + " ")).isEqualTo(file);
    }

    @Test
    void aFolderIsRefusedWithASuggestion() {
        assertThatThrownBy(() -> LocalStorePath.parse(dir.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir + " is a folder; name a file in it, such as " + dir.resolve("local.db"));
    }

    @Test
    void aFileWhereTheFolderShouldBeIsRefused() throws Exception {
        Path plain = Files.writeString(dir.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> LocalStorePath.parse(plain.resolve("local.db").toString()))
                .hasMessageContaining(plain + " is a file");
    }

    @Test
    void blankIsRefused() {
        assertThatThrownBy(() -> LocalStorePath.parse(" ")).hasMessage("Enter the store file's path, or press Default.");
    }

    @Test
    void portsOutsideTheRangeAreRefused() {
        assertThat(LocalSettingsDialog.parsePort(" 0 ")).isZero();
        assertThat(LocalSettingsDialog.parsePort("7821")).isEqualTo(7821);
        assertThatThrownBy(() -> LocalSettingsDialog.parsePort("70000"))
                .hasMessage("The port must be a number from 0 to 65535 (0 picks a free port), was '70000'.");
        assertThatThrownBy(() -> LocalSettingsDialog.parsePort("http")).hasMessageContaining("was 'http'");
    }

    @Test
    void aPortInUseIsSaidPlainly() {
        RuntimeException e = new RuntimeException("Failed to bind", new BindException("Address already in use"));
        assertThat(LocalExposure.describe(e, 7821))
                .isEqualTo("Port 7821 is in use by another program; choose another port (0 picks a free one).");
    }

    @Test
    void generatedKeysAreLongAndDifferent() {
        String a = LocalExposure.generateKey();
        assertThat(a).startsWith("tdk_local_").hasSizeGreaterThanOrEqualTo(16 + 10);
        assertThat(LocalExposure.generateKey()).isNotEqualTo(a);
    }

    @Test
    void theStoreFileAndPortAreRememberedAndABadPortFallsBackToTheDefault() throws Exception {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"));
        Path file = dir.resolve("elsewhere.db");
        store.save(new Settings(Theme.DARK, null).withLocalStore(file).withLocalHttpPort(9000));
        assertThat(store.load().localStoreFile()).contains(file);
        assertThat(store.load().localHttpPort()).isEqualTo(9000);

        Files.writeString(dir.resolve("settings.json"), "{\"theme\":\"dark\",\"localHttpPort\":99999}");
        assertThat(store.load().localHttpPort()).isEqualTo(Settings.DEFAULT_LOCAL_HTTP_PORT);
        assertThat(store.load().localStoreFile()).isEmpty();
    }
}
