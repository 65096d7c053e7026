package io.taskdeck.engine;

/** A journal range asked for starts before the oldest event still retained. */
public class JournalTrimmedException extends IllegalStateException {

    public JournalTrimmedException(String message) {
        super(message);
    }
}
