package io.taskdeck.app.settings;

import io.taskdeck.app.theme.Theme;
import java.util.Objects;
import java.util.Optional;

/**
 * What the console remembers between sessions.
 *
 * @param theme  the chosen theme
 * @param window the main window's last bounds; {@code null} until the window was closed once
 */
public record Settings(Theme theme, WindowBounds window) {

    public static final Settings DEFAULTS = new Settings(Theme.LIGHT, null);

    public Settings {
        Objects.requireNonNull(theme, "theme");
    }

    public Optional<WindowBounds> windowBounds() {
        return Optional.ofNullable(window);
    }

    public Settings withTheme(Theme newTheme) {
        return new Settings(newTheme, window);
    }

    public Settings withWindow(WindowBounds newWindow) {
        return new Settings(theme, newWindow);
    }
}
