package io.taskdeck.app.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.errors.ServerErrors;
import io.taskdeck.client.RequeueOptions;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunDetail;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.TaskServer;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The run detail without a screen: loads one run with its attempts, logs, events and related
 * runs; reloads it when live events about it arrive; runs its actions.
 */
public final class RunDetailViewModel {

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Supplier<TaskServer> server;
    private final UiTasks tasks;
    private final Supplier<String> baseUrl;
    private final ReadOnlyObjectWrapper<RunDetail> detail = new ReadOnlyObjectWrapper<>(this, "detail");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private String runId;
    private long loadGeneration;
    private boolean reloadRunning;
    private boolean reloadPending;
    /** Where to go after an action created or named another run (replay): the runs view selects it. */
    private Consumer<String> openRun = id -> { };

    /**
     * @param baseUrl the server's URL for "Copy as curl", or null when it has none
     */
    public RunDetailViewModel(Supplier<TaskServer> server, UiTasks tasks, Supplier<String> baseUrl) {
        this.server = Objects.requireNonNull(server, "server");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
    }

    public void onOpenRun(Consumer<String> action) {
        this.openRun = Objects.requireNonNull(action, "action");
    }

    public ReadOnlyObjectProperty<RunDetail> detailProperty() {
        return detail.getReadOnlyProperty();
    }

    public RunDetail detail() {
        return detail.get();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public String runId() {
        return runId;
    }

    /** Shows a run (null clears the pane). */
    public void show(String id) {
        if (Objects.equals(id, runId) && detail.get() != null) {
            return;
        }
        runId = id;
        message.set(null);
        long gen = ++loadGeneration;
        if (id == null) {
            detail.set(null);
            return;
        }
        tasks.supply(() -> server.get().getRun(id))
                .onSuccess(d -> {
                    if (gen == loadGeneration) {
                        detail.set(d);
                    }
                })
                .onError(e -> {
                    if (gen == loadGeneration) {
                        detail.set(null);
                        message.set(ServerErrors.describe(e));
                    }
                })
                .start();
    }

    /** Reloads the shown run, at most one request at a time. */
    public void reload() {
        if (runId == null) {
            return;
        }
        if (reloadRunning) {
            reloadPending = true;
            return;
        }
        reloadRunning = true;
        String id = runId;
        long gen = loadGeneration;
        tasks.supply(() -> server.get().getRun(id))
                .onSuccess(d -> {
                    if (gen == loadGeneration) {
                        detail.set(d);
                    }
                })
                .onError(e -> message.set(ServerErrors.describe(e)))
                .andFinally(() -> {
                    reloadRunning = false;
                    if (reloadPending) {
                        reloadPending = false;
                        reload();
                    }
                })
                .start();
    }

    /** Reloads when a tick's events concern the shown run. */
    public void applyEvents(List<RunEvent> events) {
        if (runId != null && events.stream().anyMatch(e -> runId.equals(e.runId()))) {
            reload();
        }
    }

    // --- texts ---------------------------------------------------------------------------------

    public static String pretty(JsonNode node) {
        if (node == null) {
            return "";
        }
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    public String curl() {
        Run run = detail.get().run();
        return TriggerSnippets.curl(baseUrl.get(), run, run.payload());
    }

    public String sdkCall() {
        Run run = detail.get().run();
        return TriggerSnippets.sdk(run, run.payload());
    }

    // --- actions -------------------------------------------------------------------------------

    public void replay() {
        act("Replayed as ", id -> server.get().replay(id), true);
    }

    /** Replays with another payload. */
    public void replay(JsonNode payload) {
        act("Replayed with the edited payload as ", id -> server.get().replay(id, payload), true);
    }

    public void cancel() {
        act("Canceled ", id -> server.get().cancel(id), false);
    }

    public void requeue() {
        act("Requeued ", id -> server.get().requeue(id, RequeueOptions.AS_IS), false);
    }

    private void act(String verb, Function<String, Run> action, boolean opensNewRun) {
        String id = runId;
        if (id == null) {
            return;
        }
        tasks.supply(() -> action.apply(id))
                .onSuccess(result -> {
                    message.set(verb + result.id() + ".");
                    if (opensNewRun) {
                        openRun.accept(result.id());
                    } else {
                        reload();
                    }
                })
                .onError(e -> message.set(ServerErrors.describe(e)))
                .start();
    }
}
