package io.taskdeck.engine;

import java.util.Map;

/**
 * A run's metadata, which the handler may change while it runs. Changes are saved with the
 * attempt's result, or at once with {@link #flush()}.
 */
public interface RunMetadata {

    Object get(String key);

    RunMetadata set(String key, Object value);

    RunMetadata remove(String key);

    Map<String, Object> asMap();

    /** Saves the current metadata now (one store write), so live views see it. */
    void flush();
}
