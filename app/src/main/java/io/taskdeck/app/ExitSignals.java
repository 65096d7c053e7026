package io.taskdeck.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM, SIGINT and SIGHUP into an orderly exit of the console instead of the JVM's
 * shutdown, which runs every shutdown hook at once: JavaFX's own hook then disposes the toolkit
 * while the FX thread still works (a NullPointerException in QuantumToolkit.dispose), and a signal
 * during start-up makes the start fail. With a handler the console closes as when its window is
 * closed: {@code Platform.exit()}, {@code Application.stop()} (engine stopped, store closed and
 * checkpointed), then a normal exit.
 */
final class ExitSignals {

    private static final Logger LOG = LoggerFactory.getLogger(ExitSignals.class);
    private static final String[] SIGNALS = {"TERM", "INT", "HUP"};

    private ExitSignals() {
    }

    /** Calls {@code onSignal} (on a signal thread) for each signal this platform lets the JVM handle. */
    static void install(Runnable onSignal) {
        java.util.List<String> handled = new java.util.ArrayList<>();
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    LOG.info("SIG{} received; closing the console", signal.getName());
                    onSignal.run();
                });
                handled.add("SIG" + name);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // Not on this platform (HUP on Windows), or the JVM keeps it (-Xrs): the default stays.
                LOG.debug("SIG{} is not handled: {}", name, e.getMessage());
            }
        }
        LOG.info("Exit signals handled: {}", handled);
    }
}
