package io.taskdeck.app.settings;

import io.taskdeck.app.theme.Theme;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What the console remembers between sessions.
 *
 * @param theme         the chosen theme
 * @param window        the main window's last bounds; {@code null} until the window was closed once
 * @param localStore    the SQLite file Local keeps its runs in; {@code null} for the default in the home
 * @param localHttpPort the port "Expose Local on localhost" serves on (0: any free port)
 */
public record Settings(Theme theme, WindowBounds window, Path localStore, int localHttpPort) {

    /** Next to a Taskdeck server's default port (7820), so both can run on one machine. */
    public static final int DEFAULT_LOCAL_HTTP_PORT = 7821;

    public static final Settings DEFAULTS = new Settings(Theme.LIGHT, null, null, DEFAULT_LOCAL_HTTP_PORT);

    public Settings {
        Objects.requireNonNull(theme, "theme");
        if (localHttpPort < 0 || localHttpPort > 65_535) {
            throw new IllegalArgumentException("the port must be from 0 to 65535, was " + localHttpPort);
        }
        localStore = localStore == null ? null : localStore.toAbsolutePath().normalize();
    }

    public Settings(Theme theme, WindowBounds window) {
        this(theme, window, null, DEFAULT_LOCAL_HTTP_PORT);
    }

    public Optional<WindowBounds> windowBounds() {
        return Optional.ofNullable(window);
    }

    /** The store file chosen for Local, if the user chose one. */
    public Optional<Path> localStoreFile() {
        return Optional.ofNullable(localStore);
    }

    public Settings withTheme(Theme newTheme) {
        return new Settings(newTheme, window, localStore, localHttpPort);
    }

    public Settings withWindow(WindowBounds newWindow) {
        return new Settings(theme, newWindow, localStore, localHttpPort);
    }

    /** @param file null for the default file in the home */
    public Settings withLocalStore(Path file) {
        return new Settings(theme, window, file, localHttpPort);
    }

    public Settings withLocalHttpPort(int port) {
        return new Settings(theme, window, localStore, port);
    }
}
