package io.taskdeck.app.settings;

import io.taskdeck.app.concurrent.UiTasks;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The live settings of a running console: changes apply at once in memory and are written
 * to the {@link SettingsStore} in the background.
 *
 * <p>Every write stores the newest settings, whatever order the background writes run in,
 * so a slow earlier write can never overwrite a later change.
 */
public final class AppSettings {

    private final SettingsStore store;
    private final UiTasks tasks;
    private Settings current;

    public AppSettings(SettingsStore store, UiTasks tasks) {
        this.store = Objects.requireNonNull(store, "store");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.current = store.load();
    }

    public synchronized Settings current() {
        return current;
    }

    /** Applies a change and saves it in the background; a failed save is reported, never silent. */
    public void update(UnaryOperator<Settings> change) {
        synchronized (this) {
            current = Objects.requireNonNull(change.apply(current), "changed settings");
        }
        tasks.run(this::flush).start();
    }

    /** Applies a change and writes it at once, on the calling thread: for shutdown, when no background is left. */
    public void updateNow(UnaryOperator<Settings> change) {
        synchronized (this) {
            current = Objects.requireNonNull(change.apply(current), "changed settings");
            store.save(current);
        }
    }

    /** Writes the current settings now, on the calling thread. */
    public void flush() {
        synchronized (this) {
            store.save(current);
        }
    }
}
