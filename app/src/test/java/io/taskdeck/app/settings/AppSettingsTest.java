package io.taskdeck.app.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.theme.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppSettingsTest {

    @TempDir
    Path dir;

    private final List<Throwable> unhandled = new ArrayList<>();

    @Test
    void startsFromWhatWasStored() {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"));
        store.save(Settings.DEFAULTS.withTheme(Theme.DARK));

        AppSettings settings = new AppSettings(store, UiTasks.currentThread(unhandled::add));

        assertThat(settings.current().theme()).isEqualTo(Theme.DARK);
    }

    @Test
    void aChangeIsSavedInTheBackground() {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"));
        Deque<Runnable> background = new ArrayDeque<>();
        AppSettings settings = new AppSettings(store, new UiTasks(background::add, Runnable::run, unhandled::add));

        settings.update(s -> s.withTheme(Theme.DARK));

        assertThat(settings.current().theme()).isEqualTo(Theme.DARK);
        assertThat(Files.exists(store.file())).as("not written before the background work ran").isFalse();
        background.poll().run();
        assertThat(store.load().theme()).isEqualTo(Theme.DARK);
        assertThat(unhandled).isEmpty();
    }

    @Test
    void aLateEarlierWriteNeverOverwritesANewerChange() {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"));
        Deque<Runnable> background = new ArrayDeque<>();
        AppSettings settings = new AppSettings(store, new UiTasks(background::add, Runnable::run, unhandled::add));

        settings.update(s -> s.withTheme(Theme.DARK));
        settings.update(s -> s.withTheme(Theme.LIGHT));
        // The writes run in the opposite order: the newer one first, the older one last.
        background.pollLast().run();
        background.pollLast().run();

        assertThat(store.load().theme()).isEqualTo(Theme.LIGHT);
    }

    @Test
    void aFailedSaveIsReportedNotSwallowed() throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "");
        AppSettings settings = new AppSettings(new SettingsStore(blocker.resolve("settings.json")),
                UiTasks.currentThread(unhandled::add));

        settings.update(s -> s.withTheme(Theme.DARK));

        assertThat(unhandled).singleElement().asString().contains("Cannot save settings");
        assertThat(settings.current().theme()).isEqualTo(Theme.DARK);
    }
}
