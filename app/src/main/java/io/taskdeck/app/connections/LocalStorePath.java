package io.taskdeck.app.connections;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Checks a store file typed or chosen in Local's settings, saying what is wrong with it. */
public final class LocalStorePath {

    private LocalStorePath() {
    }

    /**
     * The file as an absolute path; it may not exist yet (Local creates it), but its folder must be
     * creatable and it must not be a folder itself.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Path parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Enter the store file's path, or press Default.");
        }
        Path file;
        try {
            file = Path.of(text.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a valid path: " + e.getReason());
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a folder; name a file in it, such as "
                    + file.resolve("local.db"));
        }
        for (Path folder = file.getParent(); folder != null; folder = folder.getParent()) {
            if (Files.exists(folder)) {
                if (!Files.isDirectory(folder)) {
                    throw new IllegalArgumentException(folder + " is a file, so " + file + " cannot be created in it.");
                }
                if (!Files.isWritable(folder)) {
                    throw new IllegalArgumentException("The folder " + folder + " is not writable.");
                }
                break;
            }
        }
        return file;
    }
}
