package io.taskdeck.engine;

/** A live journal subscription; close it to stop. */
public interface JournalSubscription extends AutoCloseable {

    /** The seq of the last event delivered. */
    long position();

    boolean isActive();

    @Override
    void close();
}
