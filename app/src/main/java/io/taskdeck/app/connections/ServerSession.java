package io.taskdeck.app.connections;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.errors.ServerErrors;
import io.taskdeck.app.shell.Connection;
import io.taskdeck.app.shell.ConnectionState;
import io.taskdeck.client.Role;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.Stats;
import io.taskdeck.client.Subscription;
import io.taskdeck.client.TaskServer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open connection: its {@link TaskServer}, the live state of its event subscription, and
 * the views' share of its events. Events are taken once per {@link #tick()} (the app ticks every
 * 250 ms on the FX thread) and handed to every listener as one list.
 *
 * <p>All methods except {@link #close()} run on the UI thread.
 */
public final class ServerSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerSession.class);
    /** Stats are polled every this many ticks (2 s at 250 ms). */
    static final int STATS_EVERY_TICKS = 8;

    private final Connection connection;
    private final UiTasks tasks;
    private volatile Callable<TaskServer> opener;
    private final EventInbox inbox = new EventInbox();
    private final ObjectProperty<ConnectionState> state =
            new SimpleObjectProperty<>(this, "state", ConnectionState.NOT_STARTED);
    private final StringProperty problem = new SimpleStringProperty(this, "problem");
    private final ReadOnlyBooleanWrapper open = new ReadOnlyBooleanWrapper(this, "open");
    private final ObjectProperty<Stats> stats = new SimpleObjectProperty<>(this, "stats");
    private final ObjectProperty<Role> role = new SimpleObjectProperty<>(this, "role");
    private final StringProperty selectedRun = new SimpleStringProperty(this, "selectedRun");
    private final List<Consumer<List<RunEvent>>> eventListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> resyncListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> tickListeners = new CopyOnWriteArrayList<>();
    private volatile TaskServer server;
    private volatile Subscription subscription;
    private int ticks;
    private boolean statsInFlight;
    private volatile boolean closed;
    /** Bumped by every (re)open, so that an open overtaken by a newer one is dropped. */
    private volatile long generation;
    private boolean openedBefore;

    /**
     * @param opener creates the server (may take a while: the local engine starts its store); runs
     *               in the background
     */
    public ServerSession(Connection connection, UiTasks tasks, Callable<TaskServer> opener) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    public Connection connection() {
        return connection;
    }

    /** Opens the server and subscribes to its events, in the background. */
    public void open() {
        long gen = ++generation;
        state.set(ConnectionState.CONNECTING);
        problem.set(null);
        Callable<TaskServer> currentOpener = opener;
        tasks.supply(() -> {
            TaskServer opened = currentOpener.call();
            Subscription sub = opened.subscribe(TaskServer.LIVE, inbox);
            if (closed || gen != generation) {
                sub.close();
                opened.close();
                return null;
            }
            server = opened;
            subscription = sub;
            return opened;
        }).onSuccess(opened -> {
            if (opened != null) {
                open.set(true);
                applyState(subscription.state());
                refreshRole();
                pollStats();
                if (openedBefore) {
                    // What the views show came from the server before; load it again from this one.
                    resyncListeners.forEach(Runnable::run);
                }
                openedBefore = true;
            }
        }).onError(e -> {
            if (gen != generation) {
                return;
            }
            LOG.warn("Cannot open connection {}: {}", connection.name(), e.toString());
            LOG.debug("Opening {} failed", connection.name(), e);
            state.set(ConnectionState.OFFLINE);
            problem.set(ServerErrors.describe(e));
        }).start();
    }

    /**
     * Closes the server and opens it again with {@code newOpener} (Local on another store file, a
     * remote connection with a new URL or key). The views stay attached: they reload once it is
     * open again.
     */
    public void reopen(Callable<TaskServer> newOpener) {
        if (closed) {
            throw new IllegalStateException(connection.name() + " is closed");
        }
        this.opener = Objects.requireNonNull(newOpener, "newOpener");
        disconnect();
        open.set(false);
        stats.set(null);
        role.set(null);
        inbox.drain();
        open();
    }

    private void refreshRole() {
        TaskServer s = server;
        if (s == null) {
            return;
        }
        tasks.supply(s::role)
                .onSuccess(r -> {
                    role.set(r);
                    if (state.get() != ConnectionState.OFFLINE) {
                        problem.set(null);
                    }
                })
                .onError(e -> problem.set(ServerErrors.describe(e)))
                .start();
    }

    /** Takes what arrived since the last tick and hands it on; called by the app's ticker. */
    public void tick() {
        EventInbox.Batch batch = inbox.drain();
        if (batch.state() != null) {
            applyState(batch.state());
        }
        if (batch.error() != null) {
            problem.set(ServerErrors.describe(batch.error()));
            state.set(ConnectionState.OFFLINE);
        }
        if (!batch.events().isEmpty()) {
            List<RunEvent> events = List.copyOf(batch.events());
            for (Consumer<List<RunEvent>> listener : eventListeners) {
                listener.accept(events);
            }
        }
        if (batch.resync()) {
            resyncListeners.forEach(Runnable::run);
        }
        if (open.get() && ++ticks % STATS_EVERY_TICKS == 0) {
            pollStats();
        }
        tickListeners.forEach(Runnable::run);
    }

    /** Called on every tick, after the events: for views that follow progress by polling. */
    public void onTick(Runnable listener) {
        tickListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void applyState(io.taskdeck.client.ConnectionState s) {
        ConnectionState mapped = switch (s) {
            case CONNECTED -> ConnectionState.CONNECTED;
            case RECONNECTING -> ConnectionState.RECONNECTING;
            case OFFLINE -> ConnectionState.OFFLINE;
        };
        state.set(mapped);
        if (mapped == ConnectionState.CONNECTED && role.get() == null) {
            refreshRole();
        }
    }

    /** Fetches the server-wide figures for the status bar; one request at a time. */
    public void pollStats() {
        TaskServer s = server;
        if (statsInFlight || s == null) {
            return;
        }
        statsInFlight = true;
        tasks.supply(s::stats)
                .onSuccess(stats::set)
                .onError(e -> LOG.debug("Stats of {} unavailable: {}", connection.name(), e.toString()))
                .andFinally(() -> statsInFlight = false)
                .start();
    }

    /** Receives every batch of events, on the UI thread, in order. */
    public void onEvents(Consumer<List<RunEvent>> listener) {
        eventListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Called when events were missed (server retention): reload what is shown. */
    public void onResync(Runnable listener) {
        resyncListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Runs {@code action} once the server is open: now if it is, else when it opens.
     */
    public void whenOpen(Runnable action) {
        if (open.get()) {
            action.run();
            return;
        }
        open.addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Boolean> obs, Boolean was, Boolean now) {
                if (now) {
                    open.removeListener(this);
                    action.run();
                }
            }
        });
    }

    /**
     * The server.
     *
     * @throws IllegalStateException when it is not open (yet)
     */
    public TaskServer server() {
        TaskServer s = server;
        if (s == null) {
            throw new IllegalStateException(connection.name() + " is not connected"
                    + (problem.get() == null ? " yet" : ": " + problem.get()));
        }
        return s;
    }

    public ReadOnlyBooleanProperty openProperty() {
        return open.getReadOnlyProperty();
    }

    public ObjectProperty<ConnectionState> stateProperty() {
        return state;
    }

    /** Why the connection does not work, in a sentence; null when it does. */
    public StringProperty problemProperty() {
        return problem;
    }

    public ObjectProperty<Stats> statsProperty() {
        return stats;
    }

    /** The run selected in this connection's views (Runs, Timeline), shared between them; null for none. */
    public StringProperty selectedRunProperty() {
        return selectedRun;
    }

    /** The key's role, null until known. */
    public ObjectProperty<Role> roleProperty() {
        return role;
    }

    @Override
    public void close() {
        closed = true;
        disconnect();
    }

    private void disconnect() {
        Subscription sub = subscription;
        subscription = null;
        if (sub != null) {
            sub.close();
        }
        TaskServer s = server;
        server = null;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing {} failed", connection.name(), e);
            }
        }
    }
}
