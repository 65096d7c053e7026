package io.taskdeck.app.timeline;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.errors.ServerErrors;
import io.taskdeck.app.runs.StatusTone;
import io.taskdeck.client.Page;
import io.taskdeck.client.PageRequest;
import io.taskdeck.client.QueueInfo;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunDetail;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventType;
import io.taskdeck.client.RunFilter;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.TaskServer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;

/**
 * The timeline without a screen: the model fed by the connection's live events, history loaded
 * for the range scrolled to, the viewport, filters, the selected run and what hovering says.
 *
 * <p>Events arrive in the batches the session hands out per tick. Events do not carry a run's
 * concurrency key and tags, so the runs triggered in a tick are looked up with one listing of
 * their creation range. Scrolling to a time before what is loaded lists the runs created there
 * (newest first, at most {@value #HISTORY_MAX} per load); retried runs in view are then drawn
 * exactly from their events.
 */
public final class TimelineViewModel {

    /** How many runs the console keeps for the timeline of one connection (about 100 MB at most). */
    public static final int DEFAULT_MAX_RUNS = 200_000;
    static final int PAGE = PageRequest.MAX_SIZE;
    static final int HISTORY_MAX = 5_000;
    static final int LOOKUP_MAX_PAGES = 2;
    static final int REFINE_MAX = 40;
    /** Queue limits are polled every this many ticks (2 s at 250 ms). */
    static final int QUEUES_EVERY_TICKS = 8;
    /**
     * Live events applied per frame at most: 60,000 a second at 30 frames/s, far above what a
     * connection delivers, yet a tick's thousands no longer land in one frame.
     */
    static final int EVENTS_PER_FRAME = 2_000;
    /** Events waiting beyond this are applied at once (no frames drain them while the view is hidden). */
    static final int MAX_PENDING_EVENTS = 50_000;
    /** The first view: the last five minutes. */
    static final long INITIAL_SPAN_MS = 5 * 60_000;

    private final Supplier<TaskServer> server;
    private final UiTasks tasks;
    private final Clock clock;
    private final TimelineModel model;
    private final Viewport viewport;
    private final EventBacklog backlog = new EventBacklog(MAX_PENDING_EVENTS);

    private final StringProperty task = new SimpleStringProperty(this, "task", "");
    private final StringProperty queue = new SimpleStringProperty(this, "queue", "");
    private final StringProperty tag = new SimpleStringProperty(this, "tag", "");
    private final StringProperty search = new SimpleStringProperty(this, "search", "");
    private final ObservableSet<RunStatus> statuses = FXCollections.observableSet();
    private final ObjectProperty<TimelineModel.RowMode> rowMode =
            new SimpleObjectProperty<>(this, "rowMode", TimelineModel.RowMode.SLOTS);
    private final BooleanProperty following = new SimpleBooleanProperty(this, "following", true);
    private final StringProperty selectedRunId = new SimpleStringProperty(this, "selectedRunId");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");

    private TimelineFilter filter = TimelineFilter.NONE;
    private long filterVersion;
    private LaneGeometry geometry;
    private long geometryModelVersion = -1;
    private long geometryFilterVersion = -1;

    /** Runs created since this time are in the model (live or loaded); Long.MAX_VALUE before the first load. */
    private long coveredFrom = Long.MAX_VALUE;
    private boolean started;
    private long generation;
    private boolean historyRunning;
    private long lookupFrom = Long.MAX_VALUE;
    private long lookupTo = Long.MIN_VALUE;
    private boolean lookupRunning;
    private boolean refineRunning;
    private boolean queuesRunning;
    private int ticks;

    public TimelineViewModel(Supplier<TaskServer> server, UiTasks tasks, Clock clock, int maxRuns) {
        this.server = Objects.requireNonNull(server, "server");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.model = new TimelineModel(clock::millis, maxRuns);
        this.viewport = new Viewport(INITIAL_SPAN_MS, clock.millis());
        javafx.beans.InvalidationListener refilter = o -> refilter();
        task.addListener(refilter);
        queue.addListener(refilter);
        tag.addListener(refilter);
        search.addListener(refilter);
        statuses.addListener((javafx.collections.SetChangeListener<RunStatus>) c -> refilter());
        rowMode.addListener((obs, old, now) -> model.setRowMode(now));
        following.addListener((obs, was, now) -> {
            if (now != viewport.following()) {
                viewport.setFollowing(now, clock.millis());
            }
        });
    }

    public TimelineModel model() {
        return model;
    }

    public Viewport viewport() {
        return viewport;
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

    /** Highlights runs whose id, task, key or a tag contains it. */
    public StringProperty searchProperty() {
        return search;
    }

    public ObservableSet<RunStatus> statuses() {
        return statuses;
    }

    public ObjectProperty<TimelineModel.RowMode> rowModeProperty() {
        return rowMode;
    }

    /** True while the right edge follows now. */
    public BooleanProperty followingProperty() {
        return following;
    }

    /** The run selected here (and in Runs, when bound to the connection's selection). */
    public StringProperty selectedRunIdProperty() {
        return selectedRunId;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public TimelineFilter filter() {
        return filter;
    }

    /** Bumped when the filter changed: the canvas redraws. */
    public long filterVersion() {
        return filterVersion;
    }

    private void refilter() {
        filter = new TimelineFilter(task.get(), queue.get(), statuses, tag.get(), search.get());
        filterVersion++;
    }

    /** The lanes' geometry for the model and filter as they are now. */
    public LaneGeometry geometry() {
        if (geometry == null || geometryModelVersion != model.version() || geometryFilterVersion != filterVersion) {
            geometry = new LaneGeometry(model.lanes(), filter);
            geometryModelVersion = model.version();
            geometryFilterVersion = filterVersion;
        }
        return geometry;
    }

    // --- live ---------------------------------------------------------------------------------------

    /** Loads the queues and the runs of the first view; call once the server is open. */
    public void start() {
        started = true;
        long now = clock.millis();
        coveredFrom = Long.MAX_VALUE;
        refreshQueues();
        loadActive();
        loadHistory(viewport.startMs() - (long) viewport.spanMs(), now + 1_000);
    }

    /**
     * One tick's events: queued for the frames to apply ({@link #applyPending}), at most
     * {@value #EVENTS_PER_FRAME} a frame; beyond {@value #MAX_PENDING_EVENTS} waiting, the oldest
     * are applied at once.
     */
    public void applyEvents(List<RunEvent> events) {
        int before = backlog.size() + events.size();
        backlog.offer(events, this::applyOne);
        if (backlog.size() < before) {
            afterApplying();
        }
    }

    /**
     * Applies the next live events waiting, at most {@value #EVENTS_PER_FRAME}; the view calls it
     * once a frame. New runs are then looked up for their key and tags.
     *
     * @return how many were applied
     */
    public int applyPending() {
        int n = backlog.drain(EVENTS_PER_FRAME, this::applyOne);
        if (n > 0) {
            afterApplying();
        }
        return n;
    }

    /** Live events received and not applied yet. */
    public int pendingEvents() {
        return backlog.size();
    }

    private void applyOne(RunEvent e) {
        model.apply(e);
        if (e.type() == RunEventType.TRIGGERED && e.at() != null) {
            long at = e.at().toEpochMilli();
            lookupFrom = Math.min(lookupFrom, at);
            lookupTo = Math.max(lookupTo, at);
        }
    }

    private void afterApplying() {
        // Bounded even while the view is not on screen (its frames, and so tick(), stop then).
        model.evict(keepFrom());
        if (started) {
            lookUpNewRuns();
        }
    }

    /** Finished runs ending before this may be evicted: a view's width before the view, or a minute ago. */
    private long keepFrom() {
        return Math.min(viewport.startMs() - (long) viewport.spanMs(), clock.millis() - 60_000);
    }

    /** Events were missed (server retention): forget everything and load again. */
    public void resync() {
        generation++;
        backlog.clear();
        model.clear();
        historyRunning = false;
        lookupRunning = false;
        if (started) {
            start();
        }
    }

    /** Called on the app's tick: bounds the model, polls queue limits, loads history scrolled to. */
    public void tick() {
        model.evict(keepFrom());
        if (!started) {
            return;
        }
        if (++ticks % QUEUES_EVERY_TICKS == 0) {
            refreshQueues();
        }
        ensureLoaded();
    }

    /** Loads the runs created in the view's range (and half a view before it) if not loaded yet. */
    public void ensureLoaded() {
        if (!started || historyRunning || viewport.startMs() >= coveredFrom) {
            return;
        }
        long from = viewport.startMs() - (long) (viewport.spanMs() / 2);
        loadHistory(from, coveredFrom);
    }

    private record History(List<Run> runs, boolean truncated) {
    }

    private void loadHistory(long from, long to) {
        if (to <= from) {
            return;
        }
        long gen = generation;
        historyRunning = true;
        loading.set(true);
        RunFilter f = RunFilter.builder()
                .createdBetween(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to)).build();
        tasks.supply(() -> {
            List<Run> out = new ArrayList<>();
            String cursor = null;
            do {
                Page<Run> page = server.get().listRuns(f, new PageRequest(cursor, PAGE));
                out.addAll(page.data());
                cursor = page.nextCursor();
            } while (cursor != null && out.size() < HISTORY_MAX);
            return new History(out, cursor != null);
        }).onSuccess(h -> {
            if (gen != generation) {
                return;
            }
            for (Run r : h.runs()) {
                model.merge(r);
            }
            long oldest = h.runs().isEmpty() ? from
                    : h.runs().get(h.runs().size() - 1).createdAt().toEpochMilli();
            long reached = h.truncated() ? oldest : from;
            coveredFrom = Math.min(coveredFrom, reached);
            message.set(h.truncated() ? "Showing the latest " + h.runs().size()
                    + " runs of this range; scroll on to load more." : null);
            refineRetried();
        }).onError(e -> {
            if (gen == generation) {
                message.set("Cannot load runs: " + ServerErrors.describe(e));
            }
        }).andFinally(() -> {
            if (gen == generation) {
                historyRunning = false;
                loading.set(false);
            }
        }).start();
    }

    /** Runs still going may have been created long before the view: load them too. */
    private void loadActive() {
        long gen = generation;
        RunFilter f = RunFilter.builder()
                .statuses(RunStatus.EXECUTING, RunStatus.WAITING).build();
        tasks.supply(() -> server.get().listRuns(f, PageRequest.first(PAGE)))
                .onSuccess(page -> {
                    if (gen == generation) {
                        page.data().forEach(model::merge);
                    }
                })
                .onError(e -> message.set("Cannot load running runs: " + ServerErrors.describe(e)))
                .start();
    }

    /** Looks up the key and tags of the runs triggered since the last look-up. */
    private void lookUpNewRuns() {
        if (lookupRunning || lookupFrom > lookupTo) {
            return;
        }
        long gen = generation;
        RunFilter f = RunFilter.builder()
                .createdBetween(Instant.ofEpochMilli(lookupFrom), Instant.ofEpochMilli(lookupTo + 1)).build();
        lookupFrom = Long.MAX_VALUE;
        lookupTo = Long.MIN_VALUE;
        lookupRunning = true;
        tasks.supply(() -> {
            List<Run> out = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                Page<Run> page = server.get().listRuns(f, new PageRequest(cursor, PAGE));
                out.addAll(page.data());
                cursor = page.nextCursor();
            } while (cursor != null && ++pages < LOOKUP_MAX_PAGES);
            return out;
        }).onSuccess(found -> {
            if (gen != generation) {
                return;
            }
            for (Run r : found) {
                if (model.run(r.id()) != null) {
                    model.merge(r);
                }
            }
        }).onError(e -> message.set("Cannot look up new runs: " + ServerErrors.describe(e)))
                .andFinally(() -> {
                    lookupRunning = false;
                    if (lookupFrom <= lookupTo) {
                        lookUpNewRuns();
                    }
                }).start();
    }

    /** Retried or suspended runs drawn from their records get their exact segments from their events. */
    private void refineRetried() {
        if (refineRunning) {
            return;
        }
        long t0 = viewport.startMs();
        long t1 = viewport.endMs();
        List<String> ids = model.runsBetween(t0, t1).stream()
                .filter(r -> r.isCoarse() && (r.attemptCount > 1 || r.status() == RunStatus.WAITING
                        || (r.status() == RunStatus.QUEUED && r.attemptCount > 0)))
                .limit(REFINE_MAX).map(TimelineRun::id).toList();
        if (ids.isEmpty()) {
            return;
        }
        long gen = generation;
        refineRunning = true;
        tasks.supply(() -> {
            List<RunDetail> out = new ArrayList<>();
            for (String id : ids) {
                try {
                    out.add(server.get().getRun(id));
                } catch (io.taskdeck.client.NotFoundException gone) {
                    // deleted by retention meanwhile: keep its record's shape
                }
            }
            return out;
        }).onSuccess(details -> {
            if (gen == generation) {
                details.forEach(d -> model.replaceFromEvents(d.run(), d.events()));
            }
        }).onError(e -> message.set("Cannot load run details: " + ServerErrors.describe(e)))
                .andFinally(() -> refineRunning = false).start();
    }

    private void refreshQueues() {
        if (queuesRunning) {
            return;
        }
        queuesRunning = true;
        tasks.supply(() -> server.get().listQueues())
                .onSuccess(qs -> qs.forEach(model::updateQueue))
                .onError(e -> message.set("Cannot load queues: " + ServerErrors.describe(e)))
                .andFinally(() -> queuesRunning = false)
                .start();
    }

    // --- looking -------------------------------------------------------------------------------------

    /** Follows now again (End) or stops following. */
    public void setFollowing(boolean on) {
        viewport.setFollowing(on, clock.millis());
        following.set(on);
    }

    /** Zooms by a factor around a point of the time area; below 1 zooms in. */
    public void zoom(double factor, double anchorX) {
        viewport.zoom(factor, anchorX, clock.millis());
        ensureLoaded();
    }

    /** Pans by pixels: positive dx shows later times, positive dy lower lanes. */
    public void pan(double dx, double dy) {
        viewport.pan(dx, dy, geometry().contentHeight(), clock.millis());
        following.set(viewport.following());
        ensureLoaded();
    }

    /** Shows exactly a time range (a drag on the overview, a zoom preset). */
    public void show(long from, long to) {
        viewport.show(from, to);
        following.set(false);
        ensureLoaded();
    }

    /** The run under a point of the time area (x from the gutter's right, y from the lanes' top), or null. */
    public TimelineRun runAt(double x, double laneY) {
        return geometry().runAt(x, laneY + viewport.scrollY(), viewport, filter, clock.millis());
    }

    /** What hovering over a run says: who it is, where it is, how long each part took. */
    public String describe(TimelineRun run) {
        long now = clock.millis();
        StringBuilder b = new StringBuilder();
        b.append(run.id()).append(" · ").append(run.taskId()).append('\n');
        b.append(StatusTone.label(run.status()));
        if (run.attempt() > 0) {
            b.append(" · attempt ").append(run.attempt());
        }
        if (run.isCoarse()) {
            b.append(" (attempts not told apart)");
        }
        b.append('\n');
        StringJoiner times = new StringJoiner(" · ");
        long waited = run.totalMs(SegmentKind.QUEUED, now);
        long delayed = run.totalMs(SegmentKind.DELAYED, now);
        long ran = run.totalMs(SegmentKind.EXECUTING, now);
        long backoff = run.totalMs(SegmentKind.BACKOFF, now);
        long children = run.totalMs(SegmentKind.WAITING, now);
        if (delayed > 0) {
            times.add("delayed " + TimelineRenderer.span(delayed));
        }
        times.add("queued " + TimelineRenderer.span(waited));
        if (run.hasStarted()) {
            times.add("ran " + TimelineRenderer.span(ran));
        }
        if (backoff > 0) {
            times.add("backoff " + TimelineRenderer.span(backoff));
        }
        if (children > 0) {
            times.add("waited on children " + TimelineRenderer.span(children));
        }
        long end = run.isFinished() ? run.endAt() : now;
        times.add("total " + TimelineRenderer.span(Math.max(0, end - run.createdAt())));
        b.append(times);
        StringJoiner where = new StringJoiner(" · ", "\n", "");
        where.add("queue " + run.queue());
        if (run.concurrencyKey() != null) {
            where.add("key " + run.concurrencyKey());
        }
        if (!run.tags().isEmpty()) {
            where.add("tags " + String.join(", ", run.tags()));
        }
        b.append(where);
        return b.toString();
    }

    /** A line about the model for the toolbar: how many runs, what was evicted or dropped. */
    public String summary() {
        String s = String.format(java.util.Locale.ROOT, "%,d runs", model.size());
        if (model.dropped() > 0) {
            s += String.format(java.util.Locale.ROOT, " · %,d not shown (memory bound)", model.dropped());
        }
        return s;
    }
}
