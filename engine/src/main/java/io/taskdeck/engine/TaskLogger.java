package io.taskdeck.engine;

/** A handler's logger; lines are stored with the attempt and shown in the run's detail. */
public interface TaskLogger {

    void log(LogLine.Level level, String message);

    default void debug(String message) { log(LogLine.Level.DEBUG, message); }

    default void info(String message) { log(LogLine.Level.INFO, message); }

    default void warn(String message) { log(LogLine.Level.WARN, message); }

    default void error(String message) { log(LogLine.Level.ERROR, message); }
}
