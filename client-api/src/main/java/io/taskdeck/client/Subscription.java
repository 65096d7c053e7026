package io.taskdeck.client;

/** A live event subscription; close it to stop. */
public interface Subscription extends AutoCloseable {
    /** Seq of the last event delivered (or the position it resumes after), -1 before any is known. */
    long lastSeq();

    ConnectionState state();

    /** Stops the subscription; idempotent. No listener call starts after this returns. */
    @Override
    void close();
}
