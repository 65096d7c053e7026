package io.taskdeck.engine.store;

import java.nio.file.Path;

/** The store's file is in use by another process (another console or server), so it was not opened. */
public final class StoreLockedException extends StoreException {

    private final Path file;

    public StoreLockedException(Path file, Path lockFile) {
        super("the store " + file + " is in use by another Taskdeck process (it holds the lock "
                + lockFile + "); close that process or choose another file");
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
