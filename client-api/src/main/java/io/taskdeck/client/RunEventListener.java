package io.taskdeck.client;

/**
 * Receives a subscription's events. Calls for one subscription never overlap and come in seq order,
 * each event once; they run on a client thread, so keep them short (hand off to the UI in batches).
 * No call starts after {@link Subscription#close()} returns.
 */
public interface RunEventListener {
    void onEvent(RunEvent event);

    default void onConnectionState(ConnectionState state) {
    }

    /** Events were missed because they fell out of the server's retention; reload snapshots. */
    default void onResync(Resync resync) {
    }

    /** The server refused the subscription for good (for example 401/403); no retry follows. */
    default void onError(TaskServerException error) {
    }
}
