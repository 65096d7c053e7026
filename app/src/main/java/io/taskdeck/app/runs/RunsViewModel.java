package io.taskdeck.app.runs;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.errors.ServerErrors;
import io.taskdeck.client.BulkAction;
import io.taskdeck.client.BulkActionKind;
import io.taskdeck.client.BulkActionRequest;
import io.taskdeck.client.BulkActionState;
import io.taskdeck.client.Page;
import io.taskdeck.client.PageRequest;
import io.taskdeck.client.RequeueOptions;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventType;
import io.taskdeck.client.RunFilter;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.TaskServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

/**
 * The runs view without a screen: the filter, the rows loaded so far (newest first, one page at a
 * time by cursor), live updates applied in batches, and the actions on selected runs.
 *
 * <p>Live: an event about a loaded run updates its row in place; a new run (or one coming back
 * to the queue) makes the view fetch the first page again and insert what is new at the top. Rows
 * never move or vanish under the user because of an event.
 */
public final class RunsViewModel {

    static final int PAGE_SIZE = 100;
    /**
     * Live inserts never grow the list beyond about this many rows: past it, the oldest rows go
     * (scrolling down loads them again), so a console left on Live under load keeps its memory.
     */
    static final int MAX_ROWS = 5_000;
    /** Up to this many selected runs are acted on one call each; more go through one bulk action. */
    static final int BULK_THRESHOLD = 5;

    private final Supplier<TaskServer> server;
    private final UiTasks tasks;
    private final Clock clock;

    private final ObservableList<RunRow> rows = FXCollections.observableArrayList();
    private final Map<String, RunRow> byId = new HashMap<>();
    private final ObservableSet<RunStatus> statuses = FXCollections.observableSet();
    private final StringProperty task = new SimpleStringProperty(this, "task", "");
    private final StringProperty queue = new SimpleStringProperty(this, "queue", "");
    private final StringProperty tag = new SimpleStringProperty(this, "tag", "");
    private final StringProperty search = new SimpleStringProperty(this, "search", "");
    private final ObjectProperty<TimeRange> timeRange = new SimpleObjectProperty<>(this, "timeRange", TimeRange.ANY);
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyBooleanWrapper hasMore = new ReadOnlyBooleanWrapper(this, "hasMore");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final BooleanProperty live = new SimpleBooleanProperty(this, "live", true);

    private RunFilter filter = RunFilter.ALL;
    private String cursor;
    private final int maxRows;
    /** The last row of each page loaded, with the cursor that continues after it: where a trim may cut. */
    private final Map<RunRow, String> cursorAfter = new HashMap<>();
    /** Rows the user holds (the selection, the lowest row on screen): a trim never drops them. */
    private Supplier<? extends Collection<RunRow>> pinned = List::of;
    /** Bumped by every reload, so that a page of an older filter arriving late is dropped. */
    private long generation;
    private boolean headRefreshPending;
    private boolean headRefreshRunning;
    private final ReadOnlyObjectWrapper<BulkAction> bulk = new ReadOnlyObjectWrapper<>(this, "bulkAction");
    private final ReadOnlyDoubleWrapper bulkProgress = new ReadOnlyDoubleWrapper(this, "bulkProgress");
    private String bulkVerb = "Done";
    private boolean bulkPolling;
    private boolean bulkStarting;

    public RunsViewModel(Supplier<TaskServer> server, UiTasks tasks, Clock clock) {
        this(server, tasks, clock, MAX_ROWS);
    }

    RunsViewModel(Supplier<TaskServer> server, UiTasks tasks, Clock clock, int maxRows) {
        this.server = Objects.requireNonNull(server, "server");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxRows < PAGE_SIZE) {
            throw new IllegalArgumentException("maxRows must be at least a page (" + PAGE_SIZE + "), not " + maxRows);
        }
        this.maxRows = maxRows;
    }

    /** The rows the user holds (selected, the lowest on screen): live trimming keeps them and every row above. */
    public void setPinned(Supplier<? extends Collection<RunRow>> rows) {
        pinned = Objects.requireNonNull(rows, "rows");
    }

    public ObservableList<RunRow> rows() {
        return rows;
    }

    public ObservableSet<RunStatus> statuses() {
        return statuses;
    }

    public StringProperty taskProperty() {
        return task;
    }

    public StringProperty queueProperty() {
        return queue;
    }

    public StringProperty tagProperty() {
        return tag;
    }

    /** Exact run id, idempotency key or concurrency key. */
    public StringProperty searchProperty() {
        return search;
    }

    public ObjectProperty<TimeRange> timeRangeProperty() {
        return timeRange;
    }

    /** When off, new runs are not fetched (status changes of shown rows still apply). */
    public BooleanProperty liveProperty() {
        return live;
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty hasMoreProperty() {
        return hasMore.getReadOnlyProperty();
    }

    /** What the last load or action came to (an error or a summary), or null. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The filter the rows were loaded with. */
    public RunFilter filter() {
        return filter;
    }

    public RunRow row(String runId) {
        return byId.get(runId);
    }

    /** The filter from the fields, as the server sees it. */
    RunFilter buildFilter() {
        return RunFilter.builder()
                .statuses(statuses)
                .taskId(blankToNull(task.get()))
                .queue(blankToNull(queue.get()))
                .tag(blankToNull(tag.get()))
                .createdBetween(timeRange.get().from(clock.instant()), null)
                .search(blankToNull(search.get()))
                .build();
    }

    /** Loads the first page with the current filter fields, replacing the rows. */
    public void reload() {
        filter = buildFilter();
        long gen = ++generation;
        RunFilter f = filter;
        loading.set(true);
        tasks.supply(() -> server.get().listRuns(f, PageRequest.first(PAGE_SIZE)))
                .onSuccess(page -> {
                    if (gen != generation) {
                        return;
                    }
                    rows.clear();
                    byId.clear();
                    cursorAfter.clear();
                    append(page);
                    message.set(page.data().isEmpty() ? "No runs match these filters." : null);
                })
                .onError(e -> {
                    if (gen == generation) {
                        message.set(ServerErrors.describe(e));
                    }
                })
                .andFinally(() -> loading.set(false))
                .start();
    }

    /** Loads the next page below the rows, if there is one and no load is running. */
    public void loadMore() {
        if (cursor == null || loading.get()) {
            return;
        }
        long gen = generation;
        RunFilter f = filter;
        String after = cursor;
        loading.set(true);
        tasks.supply(() -> server.get().listRuns(f, new PageRequest(after, PAGE_SIZE)))
                .onSuccess(page -> {
                    // A trim meanwhile moved the cursor up: this page belongs below rows now gone.
                    if (gen == generation && after.equals(cursor)) {
                        append(page);
                    }
                })
                .onError(e -> message.set(ServerErrors.describe(e)))
                .andFinally(() -> loading.set(false))
                .start();
    }

    private void append(Page<Run> page) {
        List<RunRow> added = new ArrayList<>();
        for (Run run : page.data()) {
            RunRow existing = byId.get(run.id());
            if (existing != null) {
                existing.replace(run);
            } else {
                RunRow row = new RunRow(run);
                byId.put(run.id(), row);
                added.add(row);
            }
        }
        rows.addAll(added);
        cursor = page.nextCursor();
        hasMore.set(cursor != null);
        markBoundary(page);
    }

    /** Remembers that the page's cursor continues after its last row. */
    private void markBoundary(Page<Run> page) {
        if (page.nextCursor() != null && !page.data().isEmpty()) {
            RunRow last = byId.get(page.data().getLast().id());
            if (last != null) {
                cursorAfter.put(last, page.nextCursor());
            }
        }
    }

    /**
     * Drops the oldest rows once live inserts took the list past its bound: cuts at the deepest
     * page boundary within the bound and below every pinned row, so that loading more continues
     * right after the last row kept (nothing skipped, nothing twice).
     */
    private void trim() {
        if (rows.size() <= maxRows) {
            return;
        }
        Set<RunRow> held = new HashSet<>(pinned.get());
        int lowestHeld = -1;
        if (!held.isEmpty()) {
            for (int i = rows.size() - 1; i >= 0; i--) {
                if (held.contains(rows.get(i))) {
                    lowestHeld = i;
                    break;
                }
            }
        }
        int cut = -1;
        for (int i = maxRows - 1; i >= Math.max(0, lowestHeld); i--) {
            if (cursorAfter.containsKey(rows.get(i))) {
                cut = i;
                break;
            }
        }
        if (cut < 0 || cut == rows.size() - 1) {
            return;  // no boundary to cut at yet (or the user holds the bottom rows): keep all
        }
        String next = cursorAfter.get(rows.get(cut));
        List<RunRow> dropped = rows.subList(cut + 1, rows.size());
        for (RunRow row : dropped) {
            byId.remove(row.id());
            cursorAfter.remove(row);
        }
        dropped.clear();
        cursor = next;
        hasMore.set(true);
    }

    /**
     * Applies one tick's events: rows of known runs change in place; new runs are fetched with
     * the first page and inserted at the top.
     */
    public void applyEvents(List<RunEvent> events) {
        boolean newRuns = false;
        for (RunEvent event : events) {
            RunRow row = byId.get(event.runId());
            if (row != null) {
                row.apply(event);
            } else if (event.type() == RunEventType.TRIGGERED || event.type() == RunEventType.REQUEUED) {
                newRuns = true;
            }
        }
        if (newRuns && live.get()) {
            refreshHead();
        }
    }

    /** Fetches the first page again and inserts the runs not shown yet at the top, in order. */
    public void refreshHead() {
        if (headRefreshRunning) {
            headRefreshPending = true;
            return;
        }
        headRefreshRunning = true;
        long gen = generation;
        RunFilter f = timeRange.get() == TimeRange.ANY ? filter
                : filter.toBuilder().createdBetween(timeRange.get().from(clock.instant()), null).build();
        tasks.supply(() -> server.get().listRuns(f, PageRequest.first(PAGE_SIZE)))
                .onSuccess(page -> {
                    if (gen == generation) {
                        insertAtTop(page.data());
                        if (f.equals(filter)) {
                            markBoundary(page);  // its cursor is valid for the rows' own filter
                        }
                        trim();
                    }
                })
                .onError(e -> message.set(ServerErrors.describe(e)))
                .andFinally(() -> {
                    headRefreshRunning = false;
                    if (headRefreshPending) {
                        headRefreshPending = false;
                        refreshHead();
                    }
                })
                .start();
    }

    private void insertAtTop(List<Run> newestFirst) {
        List<RunRow> fresh = new ArrayList<>();
        for (Run run : newestFirst) {
            RunRow existing = byId.get(run.id());
            if (existing != null) {
                existing.replace(run);
            } else {
                RunRow row = new RunRow(run);
                byId.put(run.id(), row);
                fresh.add(row);
            }
        }
        if (!fresh.isEmpty()) {
            rows.addAll(0, fresh);
            if (rows.size() == fresh.size()) {
                message.set(null);
            }
        }
    }

    // --- actions on selected runs -------------------------------------------------------------

    /** Cancels each run; reports how many were canceled and why the others were not. */
    public void cancel(List<RunRow> selected) {
        if (selected.size() > BULK_THRESHOLD) {
            startBulk(BulkActionKind.CANCEL, "Canceled", selected);
        } else {
            act("Canceled", selected, id -> server.get().cancel(id));
        }
    }

    /** Replays each run as a new run. */
    public void replay(List<RunRow> selected) {
        if (selected.size() > BULK_THRESHOLD) {
            startBulk(BulkActionKind.REPLAY, "Replayed", selected);
        } else {
            act("Replayed", selected, id -> server.get().replay(id));
        }
    }

    /** Requeues each dead-letter run. */
    public void requeue(List<RunRow> selected) {
        if (selected.size() > BULK_THRESHOLD) {
            startBulk(BulkActionKind.REQUEUE, "Requeued", selected);
        } else {
            act("Requeued", selected, id -> server.get().requeue(id, RequeueOptions.AS_IS));
        }
    }

    // --- bulk actions: more than a few runs are one server-side action, followed each tick ------

    /** The bulk action in progress, or null. */
    public ReadOnlyObjectProperty<BulkAction> bulkActionProperty() {
        return bulk.getReadOnlyProperty();
    }

    /** How far the bulk action in progress is, 0 to 1. */
    public ReadOnlyDoubleProperty bulkProgressProperty() {
        return bulkProgress.getReadOnlyProperty();
    }

    private void startBulk(BulkActionKind kind, String verb, List<RunRow> selected) {
        if (bulk.get() != null || bulkStarting) {
            message.set("A bulk action is still running; wait for it or stop it first.");
            return;
        }
        List<String> ids = selected.stream().map(RunRow::id).toList();
        bulkStarting = true;
        tasks.supply(() -> server.get().startBulkAction(BulkActionRequest.of(kind, ids)))
                .onSuccess(started -> {
                    bulkVerb = verb;
                    show(started);
                })
                .onError(e -> message.set(ServerErrors.describe(e)))
                .andFinally(() -> bulkStarting = false)
                .start();
    }

    /** Fetches the progress of the bulk action in progress; called every tick, one request at a time. */
    public void pollBulk() {
        BulkAction current = bulk.get();
        if (current == null || bulkPolling) {
            return;
        }
        bulkPolling = true;
        tasks.supply(() -> server.get().getBulkAction(current.id()))
                .onSuccess(this::show)
                .onError(e -> message.set(ServerErrors.describe(e)))
                .andFinally(() -> bulkPolling = false)
                .start();
    }

    /** Stops the bulk action in progress after the run it is at; what was done stays done. */
    public void abortBulk() {
        BulkAction current = bulk.get();
        if (current == null) {
            return;
        }
        tasks.supply(() -> server.get().abortBulkAction(current.id()))
                .onSuccess(this::show)
                .onError(e -> message.set(ServerErrors.describe(e)))
                .start();
    }

    private void show(BulkAction b) {
        bulkProgress.set(b.total() == 0 ? 1 : (double) b.done() / b.total());
        if (b.state() == BulkActionState.RUNNING) {
            bulk.set(b);
            message.set(progressVerb(bulkVerb) + " " + b.done() + " of " + b.total() + " runs\u2026");
            return;
        }
        bulk.set(null);
        message.set(bulkSummary(bulkVerb, b));
    }

    static String bulkSummary(String verb, BulkAction b) {
        StringBuilder text = new StringBuilder();
        if (b.state() == BulkActionState.ABORTED) {
            text.append("Stopped after ").append(b.done()).append(" of ").append(b.total()).append(": ");
            text.append(verb.toLowerCase(java.util.Locale.ROOT));
        } else {
            text.append(verb);
        }
        text.append(' ').append(b.succeeded()).append(b.succeeded() == 1 ? " run" : " runs");
        if (b.failed() > 0) {
            text.append("; ").append(b.failed()).append(" failed");
            List<String> shown = b.errors().stream().limit(3).map(e -> e.runId() + ": " + e.message()).toList();
            if (!shown.isEmpty()) {
                text.append(" \u2014 ").append(String.join("; ", shown));
                if (b.failed() > shown.size()) {
                    text.append("; \u2026");
                }
            }
        }
        return text.append('.').toString();
    }

    private static String progressVerb(String verb) {
        return switch (verb) {
            case "Canceled" -> "Canceling";
            case "Replayed" -> "Replaying";
            case "Requeued" -> "Requeuing";
            default -> verb;
        };
    }

    private record Outcome(List<Run> updated, String summary) {
    }

    private void act(String verb, List<RunRow> selected, Function<String, Run> action) {
        List<String> ids = selected.stream().map(RunRow::id).toList();
        if (ids.isEmpty()) {
            return;
        }
        tasks.supply(() -> {
            List<Run> updated = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (String id : ids) {
                try {
                    updated.add(action.apply(id));
                } catch (RuntimeException e) {
                    failures.add(id + ": " + ServerErrors.describe(e));
                }
            }
            return new Outcome(updated, summary(verb, updated.size(), failures));
        }).onSuccess(outcome -> {
            for (Run run : outcome.updated()) {
                RunRow row = run == null ? null : byId.get(run.id());
                if (row != null) {
                    row.replace(run);
                }
            }
            message.set(outcome.summary());
        }).onError(e -> message.set(ServerErrors.describe(e))).start();
    }

    static String summary(String verb, int done, List<String> failures) {
        StringBuilder b = new StringBuilder(verb).append(' ').append(done).append(done == 1 ? " run" : " runs");
        if (!failures.isEmpty()) {
            b.append("; ").append(failures.size()).append(" failed — ").append(String.join("; ", failures));
        }
        return b.append('.').toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
