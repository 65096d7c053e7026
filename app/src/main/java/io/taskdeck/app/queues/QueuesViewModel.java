package io.taskdeck.app.queues;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.connections.OperatorGate;
import io.taskdeck.app.errors.ServerErrors;
import io.taskdeck.client.ConcurrencyOverride;
import io.taskdeck.client.QueueInfo;
import io.taskdeck.client.Role;
import io.taskdeck.client.TaskServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The queues view without a screen: every queue's live figures (polled, one request at a time),
 * the selected queue, the limit being edited with its drain forecast, and the actions: override,
 * reset, pause, resume. Actions update the row with the server's answer at once.
 *
 * <p>Runs on the UI thread.
 */
public final class QueuesViewModel {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM d HH:mm:ss").withZone(ZoneId.systemDefault());

    private final Supplier<TaskServer> server;
    private final UiTasks tasks;
    private final Clock clock;
    private final ObservableList<QueueRow> rows = FXCollections.observableArrayList();
    private final Map<String, QueueRow> byName = new HashMap<>();
    private final ObjectProperty<QueueRow> selected = new SimpleObjectProperty<>(this, "selected");
    private final IntegerProperty limit = new SimpleIntegerProperty(this, "limit", 1);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final OperatorGate gate = new OperatorGate("Pausing and tuning queues needs");
    private final ObjectBinding<DrainForecast> forecast;
    private boolean pollRunning;

    public QueuesViewModel(Supplier<TaskServer> server, UiTasks tasks, Clock clock) {
        this.server = Objects.requireNonNull(server, "server");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
        ObservableValue<QueueInfo> selectedInfo = selected.flatMap(QueueRow::infoProperty);
        this.forecast = Bindings.createObjectBinding(() -> {
            QueueRow row = selected.get();
            QueueInfo q = selectedInfo.getValue();
            if (row == null || q == null || limit.get() < 0) {
                return null;
            }
            return DrainForecast.of(q.queued(), row.rates().arrivalsPerSecond(), row.rates().meanExecution(),
                    limit.get(), q.paused());
        }, selected, selectedInfo, limit);
        selected.addListener((obs, old, now) -> {
            if (now != null) {
                limit.set(editableLimit(now.info()));
            }
        });
    }

    public ObservableList<QueueRow> rows() {
        return rows;
    }

    public QueueRow row(String name) {
        return byName.get(name);
    }

    public ObjectProperty<QueueRow> selectedProperty() {
        return selected;
    }

    /** The limit being edited for the selected queue; {@link #applyLimit()} sets it. */
    public IntegerProperty limitProperty() {
        return limit;
    }

    /** The caller's role on this connection, null until known. */
    public ObjectProperty<Role> roleProperty() {
        return gate.roleProperty();
    }

    public BooleanBinding canOperate() {
        return gate.canOperate();
    }

    /** Why the actions are disabled, or null when they are not. */
    public StringBinding readOnlyReason() {
        return gate.readOnlyReason();
    }

    /** What the edited limit would do to the selected queue's backlog; null without a selection. */
    public ObjectBinding<DrainForecast> forecast() {
        return forecast;
    }

    /** The last action's outcome or a load error, or null. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Fetches every queue's figures; skipped while the previous poll is still out. */
    public void poll() {
        if (pollRunning) {
            return;
        }
        pollRunning = true;
        tasks.supply(() -> server.get().listQueues())
                .onSuccess(this::show)
                .onError(e -> message.set(ServerErrors.describe(e)))
                .andFinally(() -> pollRunning = false)
                .start();
    }

    private void show(List<QueueInfo> queues) {
        Instant at = clock.instant();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < queues.size(); i++) {
            QueueInfo q = queues.get(i);
            seen.add(q.name());
            QueueRow row = byName.get(q.name());
            if (row == null) {
                row = new QueueRow(at, q);
                byName.put(q.name(), row);
                rows.add(Math.min(i, rows.size()), row);
            } else {
                row.update(at, q);
            }
        }
        rows.removeIf(r -> {
            if (seen.contains(r.name())) {
                return false;
            }
            byName.remove(r.name());
            return true;
        });
        if (selected.get() != null && !byName.containsKey(selected.get().name())) {
            selected.set(null);
        }
    }

    // --- actions on the selected queue --------------------------------------------------------

    /** Overrides the selected queue's limit with {@link #limitProperty()}. */
    public void applyLimit() {
        int value = limit.get();
        if (value < 0) {
            message.set("A concurrency limit must be 0 or more, got " + value + ".");
            return;
        }
        act(name -> server.get().overrideConcurrency(name, value),
                q -> "Limit of " + q.name() + " set to " + value + (value == 0 ? ": no new runs start." : "."));
    }

    /** Removes the override: the limit the task code declared applies again. */
    public void resetLimit() {
        act(name -> server.get().resetConcurrency(name),
                q -> "Limit of " + q.name() + " reset to its base, " + limitText(q.baseConcurrencyLimit()) + ".");
    }

    public void pause() {
        act(name -> server.get().pauseQueue(name),
                q -> q.name() + " paused: no new runs start" + (q.running() > 0 ? "; " + q.running()
                        + " executing finish." : "."));
    }

    public void resume() {
        act(name -> server.get().resumeQueue(name), q -> q.name() + " resumed.");
    }

    private void act(Function<String, QueueInfo> action, Function<QueueInfo, String> summary) {
        QueueRow row = selected.get();
        if (row == null) {
            return;
        }
        if (!gate.canOperate().get()) {
            message.set(gate.readOnlyReason().get());
            return;
        }
        String name = row.name();
        tasks.supply(() -> action.apply(name))
                .onSuccess(q -> {
                    QueueRow current = byName.get(q.name());
                    if (current != null) {
                        current.replace(q);
                        if (current == selected.get()) {
                            limit.set(editableLimit(q));
                        }
                    }
                    message.set(summary.apply(q));
                })
                .onError(e -> message.set(ServerErrors.describe(e)))
                .start();
    }

    /** The limit the editor starts from: the one in force, or the running count when unlimited. */
    private static int editableLimit(QueueInfo q) {
        return q.concurrencyLimit() != null ? q.concurrencyLimit() : Math.max(1, q.running());
    }

    // --- texts ---------------------------------------------------------------------------------

    static String limitText(Integer limit) {
        return limit == null ? "unlimited" : limit.toString();
    }

    /** "3 / 10" (running / limit in force), "3 / ∞" when unlimited. */
    public static String runningText(QueueInfo q) {
        return q.running() + " / " + (q.concurrencyLimit() == null ? "∞" : q.concurrencyLimit());
    }

    /** "Base 10 · override 3, set by ops-key at Nov 27 16:40:02", or "Base 10 · no override". */
    public static String limitOrigin(QueueInfo q) {
        String base = "Base " + limitText(q.baseConcurrencyLimit());
        ConcurrencyOverride o = q.override();
        if (o == null) {
            return base + " · no override";
        }
        return base + " · override " + o.limit() + ", set by " + o.by() + (o.at() == null ? "" : " at " + TIME.format(o.at()));
    }
}
