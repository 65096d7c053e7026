package io.taskdeck.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * The console's home directory: settings, logs and (later) the embedded engine's store.
 * {@code ~/.taskdeck} unless the system property {@value #PROPERTY} names another one.
 */
public record AppHome(Path dir) {

    /** System property that overrides the home directory. */
    public static final String PROPERTY = "taskdeck.home";

    public AppHome {
        Objects.requireNonNull(dir, "dir");
        dir = dir.toAbsolutePath().normalize();
    }

    /** The home named by {@value #PROPERTY}, or {@code ~/.taskdeck} when it is not set. */
    public static AppHome resolve(Properties systemProperties) {
        String override = systemProperties.getProperty(PROPERTY);
        if (override != null && !override.isBlank()) {
            try {
                return new AppHome(Path.of(override.strip()));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(
                        "-D" + PROPERTY + "=" + override + " is not a valid path: " + e.getReason(), e);
            }
        }
        String userHome = systemProperties.getProperty("user.home");
        if (userHome == null || userHome.isBlank()) {
            throw new IllegalStateException(
                    "Cannot find the user's home directory (user.home is empty); set -D" + PROPERTY + "=<dir>");
        }
        return new AppHome(Path.of(userHome, ".taskdeck"));
    }

    public static AppHome resolve() {
        return resolve(System.getProperties());
    }

    public Path logsDir() {
        return dir.resolve("logs");
    }

    public Path logFile() {
        return logsDir().resolve("taskdeck.log");
    }

    public Path settingsFile() {
        return dir.resolve("settings.json");
    }

    /**
     * Creates the home and its log directory if needed.
     *
     * @throws IllegalStateException naming the directory when it cannot be used
     */
    public AppHome prepare() {
        for (Path p : new Path[] {dir, logsDir()}) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new IllegalStateException(p + " exists but is not a directory (Taskdeck home; set -D"
                        + PROPERTY + "=<dir> to use another one)");
            }
            try {
                Files.createDirectories(p);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot create " + p + ": " + e, e);
            }
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("Taskdeck home " + dir + " is not writable");
        }
        return this;
    }
}
