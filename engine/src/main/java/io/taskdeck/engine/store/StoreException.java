package io.taskdeck.engine.store;

/**
 * A store could not do what was asked for a reason outside the caller's control: its file is
 * locked, damaged or foreign, the disk is full, an I/O error happened. The message names the
 * file and says what went wrong. A store that threw it for a write keeps running: the write
 * did not happen and the next one may succeed (when space returns, for instance).
 */
public class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
