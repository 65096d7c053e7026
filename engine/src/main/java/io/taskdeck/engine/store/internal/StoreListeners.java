package io.taskdeck.engine.store.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The wake-up listeners of a store ({@code onWork}, {@code onAppend}): registered by readers,
 * fired by the writer after a commit. A failing listener is logged and the others still run,
 * so a listener can never make a committed write look failed.
 */
public final class StoreListeners {

    private static final Logger LOG = LoggerFactory.getLogger(StoreListeners.class);

    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener; closing the result removes it. */
    public AutoCloseable add(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Calls every listener on this thread. */
    public void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("a store listener failed", e);
            }
        }
    }

    public void clear() {
        listeners.clear();
    }
}
