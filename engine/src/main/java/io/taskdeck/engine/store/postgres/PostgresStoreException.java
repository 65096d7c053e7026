package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.store.StoreException;

/**
 * The PostgreSQL store could not do what was asked for a reason outside the caller's control:
 * the server is unreachable or restarting, a statement failed. The write did not happen; the
 * next call may succeed (the pool reconnects on its own).
 */
public class PostgresStoreException extends StoreException {

    public PostgresStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
