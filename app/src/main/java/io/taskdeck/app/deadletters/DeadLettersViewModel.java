package io.taskdeck.app.deadletters;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.connections.OperatorGate;
import io.taskdeck.app.errors.ServerErrors;
import io.taskdeck.app.live.ListSync;
import io.taskdeck.client.BulkAction;
import io.taskdeck.client.BulkActionError;
import io.taskdeck.client.BulkActionKind;
import io.taskdeck.client.BulkActionRequest;
import io.taskdeck.client.BulkActionState;
import io.taskdeck.client.DeadLetterGroup;
import io.taskdeck.client.Page;
import io.taskdeck.client.PageRequest;
import io.taskdeck.client.QueueInfo;
import io.taskdeck.client.RequeueOptions;
import io.taskdeck.client.Role;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventType;
import io.taskdeck.client.TaskServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The dead-letter view without a screen: the error groups (most recently seen first), the runs of
 * the open group (newest first, by page), and the actions — requeue (as is, with an edited payload,
 * or to another queue), replay and discard — on picked runs or on a whole group. Several runs go
 * through the server's bulk actions, which run in the background: {@link #pollBulk()} follows the
 * progress, {@link #abortBulk()} stops it, and the outcome says what succeeded and what failed.
 *
 * <p>Live: events that add to or take from the dead letters reload the groups and the open group's
 * runs, one request at a time. Runs on the UI thread.
 */
public final class DeadLettersViewModel {

    static final int PAGE_SIZE = 100;

    private final Supplier<TaskServer> server;
    private final UiTasks tasks;
    private final ObservableList<DeadLetterGroup> groups = FXCollections.observableArrayList();
    private final ObjectProperty<DeadLetterGroup> group = new SimpleObjectProperty<>(this, "group");
    private final ObservableList<Run> runs = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper hasMore = new ReadOnlyBooleanWrapper(this, "hasMore");
    private final ReadOnlyObjectWrapper<BulkAction> bulk = new ReadOnlyObjectWrapper<>(this, "bulk");
    private final ObjectProperty<Double> ratePerSecond = new SimpleObjectProperty<>(this, "ratePerSecond");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final OperatorGate gate = new OperatorGate("Requeue, replay and discard need");
    private final BooleanBinding bulkRunning;
    private String cursor;
    private long generation;
    private boolean refreshRunning;
    private boolean refreshPending;
    private boolean bulkPollRunning;

    public DeadLettersViewModel(Supplier<TaskServer> server, UiTasks tasks) {
        this.server = Objects.requireNonNull(server, "server");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.bulkRunning = Bindings.createBooleanBinding(
                () -> bulk.get() != null && bulk.get().state() == BulkActionState.RUNNING, bulk);
        group.addListener((obs, old, now) -> loadRuns());
    }

    public ObservableList<DeadLetterGroup> groups() {
        return groups;
    }

    /** The open group; setting it loads its runs. */
    public ObjectProperty<DeadLetterGroup> groupProperty() {
        return group;
    }

    /** The open group's runs loaded so far, newest first. */
    public ObservableList<Run> runs() {
        return runs;
    }

    public ReadOnlyBooleanProperty hasMoreProperty() {
        return hasMore.getReadOnlyProperty();
    }

    /** The bulk action started last, as last polled; null before the first. */
    public ReadOnlyObjectProperty<BulkAction> bulkProperty() {
        return bulk.getReadOnlyProperty();
    }

    public BooleanBinding bulkRunning() {
        return bulkRunning;
    }

    /** At most this many runs per second for bulk actions; null for as fast as the server goes. */
    public ObjectProperty<Double> ratePerSecondProperty() {
        return ratePerSecond;
    }

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

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The group of a fingerprint among those loaded, or null. */
    public DeadLetterGroup group(String fingerprint) {
        return groups.stream().filter(g -> g.fingerprint().equals(fingerprint)).findFirst().orElse(null);
    }

    // --- loading -------------------------------------------------------------------------------

    /** Reloads the groups and the open group's runs; at most one refresh at a time, the last request wins. */
    public void refresh() {
        if (refreshRunning) {
            refreshPending = true;
            return;
        }
        refreshRunning = true;
        tasks.supply(() -> server.get().deadLetterGroups())
                .onSuccess(this::showGroups)
                .onError(e -> message.set(ServerErrors.describe(e)))
                .andFinally(() -> {
                    refreshRunning = false;
                    if (refreshPending) {
                        refreshPending = false;
                        refresh();
                    }
                })
                .start();
    }

    private void showGroups(List<DeadLetterGroup> now) {
        DeadLetterGroup open = group.get();
        ListSync.sync(groups, now, DeadLetterGroup::fingerprint);  // selection survives a live refresh
        if (open == null) {
            return;
        }
        DeadLetterGroup same = group(open.fingerprint());
        if (same == null) {
            // Every run of the open group was requeued or discarded.
            group.set(null);
        } else if (!same.equals(open)) {
            group.set(same);
        } else {
            loadRuns();
        }
    }

    private void loadRuns() {
        DeadLetterGroup g = group.get();
        long gen = ++generation;
        if (g == null) {
            runs.clear();
            cursor = null;
            hasMore.set(false);
            return;
        }
        // Keep as many rows as are loaded, so a live reload does not shorten the list under the user.
        int size = Math.min(PageRequest.MAX_SIZE, Math.max(PAGE_SIZE, runs.size()));
        tasks.supply(() -> server.get().deadLetterRuns(g.fingerprint(), PageRequest.first(size)))
                .onSuccess(page -> {
                    if (gen == generation) {
                        ListSync.sync(runs, page.data(), Run::id);
                        cursor = page.nextCursor();
                        hasMore.set(cursor != null);
                    }
                })
                .onError(e -> message.set(ServerErrors.describe(e)))
                .start();
    }

    /** Loads the next page of the open group's runs. */
    public void loadMore() {
        DeadLetterGroup g = group.get();
        if (g == null || cursor == null) {
            return;
        }
        long gen = generation;
        String after = cursor;
        tasks.supply(() -> server.get().deadLetterRuns(g.fingerprint(), new PageRequest(after, PAGE_SIZE)))
                .onSuccess((Page<Run> page) -> {
                    if (gen == generation) {
                        runs.addAll(page.data());
                        cursor = page.nextCursor();
                        hasMore.set(cursor != null);
                    }
                })
                .onError(e -> message.set(ServerErrors.describe(e)))
                .start();
    }

    /** Reloads when a tick's events add to or take from the dead letters. */
    public void applyEvents(List<RunEvent> events) {
        for (RunEvent e : events) {
            if (e.type() == RunEventType.REQUEUED || e.type() == RunEventType.DISCARDED
                    || (e.type() == RunEventType.STATUS_CHANGED && e.status().isFailure())) {
                refresh();
                return;
            }
        }
    }

    // --- actions -------------------------------------------------------------------------------

    /** Requeues as they are. */
    public void requeue(RequeueTarget target) {
        run(target, BulkActionKind.REQUEUE, null, "Requeued");
    }

    /** Requeues onto another queue. */
    public void requeueTo(RequeueTarget target, String queue) {
        if (queue == null || queue.isBlank()) {
            message.set("Name the queue to requeue to.");
            return;
        }
        run(target, BulkActionKind.REQUEUE, new RequeueOptions(null, queue.strip()), "Requeued to " + queue.strip());
    }

    /** Requeues one run with another payload (and optionally onto another queue). */
    public void requeueEdited(String runId, JsonNode payload, String queue) {
        String q = queue == null || queue.isBlank() ? null : queue.strip();
        run(new RequeueTarget.Runs(List.of(runId)), BulkActionKind.REQUEUE, new RequeueOptions(payload, q),
                "Requeued with the edited payload");
    }

    /** Creates a new run from each run's input; the dead letters stay until requeued or discarded. */
    public void replay(RequeueTarget target) {
        run(target, BulkActionKind.REPLAY, null, "Replayed");
    }

    /** Resolves the runs without running them again; the caller confirms first. */
    public void discard(RequeueTarget target) {
        run(target, BulkActionKind.DISCARD, null, "Discarded");
    }

    /** The question to ask before discarding, stating the count. */
    public static String discardQuestion(RequeueTarget target) {
        long n = target.count();
        return "Discard " + runs(n) + "? " + (n == 1 ? "It" : "They") + " will not run again and will leave the dead letters.";
    }

    private void run(RequeueTarget target, BulkActionKind kind, RequeueOptions options, String verb) {
        if (!gate.canOperate().get()) {
            message.set(gate.readOnlyReason().get());
            return;
        }
        if (bulkRunning.get()) {
            message.set("A bulk action is still running; abort it or wait for it to finish.");
            return;
        }
        if (target instanceof RequeueTarget.Runs one && one.ids().size() == 1) {
            String id = one.ids().get(0);
            tasks.supply(() -> single(kind, id, options))
                    .onSuccess(r -> {
                        message.set(verb + " " + (kind == BulkActionKind.REPLAY ? id + " as " + r.id() : r.id()) + ".");
                        refresh();
                    })
                    .onError(e -> message.set(ServerErrors.describe(e)))
                    .start();
            return;
        }
        BulkActionRequest request = target.request(kind);
        if (options != null) {
            request = request.withRequeueOptions(options);
        }
        Double rate = ratePerSecond.get();
        if (rate != null) {
            request = request.withRatePerSecond(rate);
        }
        BulkActionRequest r = request;
        tasks.supply(() -> server.get().startBulkAction(r))
                .onSuccess(b -> {
                    bulk.set(b);
                    message.set(progress(b));
                    if (b.state() != BulkActionState.RUNNING) {
                        refresh();
                    }
                })
                .onError(e -> message.set(ServerErrors.describe(e)))
                .start();
    }

    private Run single(BulkActionKind kind, String id, RequeueOptions options) {
        TaskServer s = server.get();
        return switch (kind) {
            case REQUEUE -> s.requeue(id, options);
            case REPLAY -> s.replay(id);
            case DISCARD -> s.discard(id);
            case CANCEL -> s.cancel(id);
        };
    }

    /** Follows the running bulk action; the view calls it on a timer. Does nothing when none runs. */
    public void pollBulk() {
        BulkAction b = bulk.get();
        if (b == null || b.state() != BulkActionState.RUNNING || bulkPollRunning) {
            return;
        }
        bulkPollRunning = true;
        tasks.supply(() -> server.get().getBulkAction(b.id()))
                .onSuccess(this::showBulk)
                .onError(e -> message.set(ServerErrors.describe(e)))
                .andFinally(() -> bulkPollRunning = false)
                .start();
    }

    /** Stops the running bulk action after the run in progress. */
    public void abortBulk() {
        BulkAction b = bulk.get();
        if (b == null || b.state() != BulkActionState.RUNNING) {
            return;
        }
        tasks.supply(() -> server.get().abortBulkAction(b.id()))
                .onSuccess(this::showBulk)
                .onError(e -> message.set(ServerErrors.describe(e)))
                .start();
    }

    private void showBulk(BulkAction b) {
        BulkAction before = bulk.get();
        if (before != null && !before.id().equals(b.id())) {
            return;
        }
        bulk.set(b);
        message.set(progress(b));
        if (b.state() != BulkActionState.RUNNING) {
            refresh();
        }
    }

    /** Loads the queue names for "Requeue to another queue". */
    public void loadQueues(Consumer<List<String>> then) {
        tasks.supply(() -> server.get().listQueues().stream().map(QueueInfo::name).toList())
                .onSuccess(then)
                .onError(e -> message.set(ServerErrors.describe(e)))
                .start();
    }

    /** What to edit before requeueing one run: the run with its payload, and its task's payload schema. */
    public record EditInput(Run run, JsonNode schema) {
    }

    /** Loads a run's payload and its task's schema for the payload editor. */
    public void loadForEdit(String runId, Consumer<EditInput> then) {
        tasks.supply(() -> {
            TaskServer s = server.get();
            Run run = s.getRun(runId).run();
            JsonNode schema;
            try {
                schema = s.getTask(run.taskId()).payloadSchema();
            } catch (io.taskdeck.client.NotFoundException e) {
                // The task is no longer registered: the payload can still be edited, unchecked.
                schema = null;
            }
            return new EditInput(run, schema);
        }).onSuccess(then).onError(e -> message.set(ServerErrors.describe(e))).start();
    }

    // --- texts ---------------------------------------------------------------------------------

    /** "Requeue: 120 of 500 done (118 succeeded, 2 failed)…" while running; the report when finished. */
    public static String progress(BulkAction b) {
        String what = verb(b.kind());
        if (b.state() == BulkActionState.RUNNING) {
            return what + ": " + b.done() + " of " + b.total() + " done (" + b.succeeded() + " succeeded, "
                    + b.failed() + " failed)…";
        }
        StringBuilder s = new StringBuilder();
        if (b.state() == BulkActionState.ABORTED) {
            s.append(what).append(" aborted after ").append(b.done()).append(" of ").append(b.total()).append(": ");
        } else {
            s.append(what).append(" finished: ");
        }
        s.append(b.succeeded()).append(" succeeded, ").append(b.failed()).append(" failed");
        if (!b.errors().isEmpty()) {
            s.append(" — ");
            List<String> shown = new ArrayList<>();
            for (BulkActionError e : b.errors().subList(0, Math.min(3, b.errors().size()))) {
                shown.add(e.runId() + ": " + e.message());
            }
            s.append(String.join("; ", shown));
            if (b.failed() > shown.size()) {
                s.append("; and ").append(b.failed() - shown.size()).append(" more");
            }
        }
        return s.append('.').toString();
    }

    private static String verb(BulkActionKind kind) {
        String s = kind.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String runs(long n) {
        return String.format(Locale.ROOT, "%,d", n) + (n == 1 ? " run" : " runs");
    }
}
