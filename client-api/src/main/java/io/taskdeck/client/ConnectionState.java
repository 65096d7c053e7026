package io.taskdeck.client;

/** State of an event subscription's connection. */
public enum ConnectionState {
    /** The stream is open; events arrive live. */
    CONNECTED,
    /** The stream dropped (or is being opened); retrying with backoff. */
    RECONNECTING,
    /**
     * Several reconnects in a row failed (still retrying, with the longest backoff), the server refused
     * the subscription (see {@link RunEventListener#onError}), or the subscription was closed.
     */
    OFFLINE
}
