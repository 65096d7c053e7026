package io.taskdeck.app.timeline;

import io.taskdeck.app.connections.ServerSession;
import io.taskdeck.app.runs.RunDetailController;
import io.taskdeck.app.runs.StatusFilterMenu;
import io.taskdeck.app.shell.Refreshable;
import io.taskdeck.app.theme.Theme;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.animation.AnimationTimer;
import javafx.beans.value.ObservableValue;
import javafx.fxml.FXML;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;

/**
 * The Timeline view: the canvas of lanes and bars, the overview strip, filters, follow and zoom,
 * and the detail of the run clicked. Redraws on the FX pulse only when something changed — every
 * frame (at most 30 per second) while following, since time moves.
 */
public final class TimelineController implements Refreshable {

    /** Redraw at most this often while following (30 frames/s). */
    private static final long FOLLOW_FRAME_NANOS = 33_000_000L;
    private static final long OVERVIEW_NANOS = 500_000_000L;
    private static final double KEY_PAN_SHARE = 0.1;
    /** Queue polling, eviction and history loading run on this cadence while the view is shown. */
    private static final long TICK_NANOS = 250_000_000L;

    private final ServerSession session;
    private final TimelineViewModel viewModel;
    private final ObservableValue<Theme> theme;
    private final Consumer<String> openInRuns;
    private final TimelineRenderer renderer;
    private final Canvas canvas = new Canvas();
    private final Canvas overview = new Canvas();
    private final Label hoverCard = new Label();

    @FXML private TextField search;
    @FXML private MenuButton statusFilter;
    @FXML private TextField taskFilter;
    @FXML private TextField queueFilter;
    @FXML private TextField tagFilter;
    @FXML private ToggleButton slotsMode;
    @FXML private ToggleButton keysMode;
    @FXML private ToggleButton followToggle;
    @FXML private Label message;
    @FXML private Label summary;
    @FXML private HBox legend;
    @FXML private Pane canvasHolder;
    @FXML private Pane overviewHolder;
    @FXML private RunDetailController detailController;

    private String hoverId;
    private boolean dirty = true;
    private long drawnModelVersion = -1;
    private long drawnFilterVersion = -1;
    private long lastFrame;
    private long lastOverview;
    private long lastTick;
    private double[] load = new double[0];
    private double dragStartX = Double.NaN;
    private double dragLastX;
    private double dragLastY;
    private boolean dragged;
    private TimelineRenderer.FrameStats lastStats = new TimelineRenderer.FrameStats(0, 0);
    private final AnimationTimer frames = new AnimationTimer() {
        @Override
        public void handle(long nanos) {
            frame(nanos);
        }
    };

    /**
     * @param openInRuns shows a run in the Runs view (double-click, Enter)
     */
    public TimelineController(ServerSession session, TimelineViewModel viewModel, ObservableValue<Theme> theme,
                              Consumer<String> openInRuns) {
        this.session = Objects.requireNonNull(session, "session");
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
        this.theme = Objects.requireNonNull(theme, "theme");
        this.openInRuns = Objects.requireNonNull(openInRuns, "openInRuns");
        this.renderer = new TimelineRenderer(palette(theme.getValue()), ZoneId.systemDefault());
    }

    public TimelineViewModel viewModel() {
        return viewModel;
    }

    public RunDetailController detail() {
        return detailController;
    }

    /** The canvas the lanes are drawn on (tests find bars through {@link #pointOf}). */
    public Canvas canvas() {
        return canvas;
    }

    /** What the last frame drew. */
    public TimelineRenderer.FrameStats lastFrameStats() {
        return lastStats;
    }

    @FXML
    private void initialize() {
        canvas.setId("timeline-canvas");
        overview.setId("timeline-overview");
        canvasHolder.getChildren().addAll(canvas, hoverCard);
        overviewHolder.getChildren().add(overview);
        canvas.widthProperty().bind(canvasHolder.widthProperty());
        canvas.heightProperty().bind(canvasHolder.heightProperty());
        overview.widthProperty().bind(overviewHolder.widthProperty());
        overview.heightProperty().bind(overviewHolder.heightProperty());
        canvas.widthProperty().addListener(o -> resized());
        canvas.heightProperty().addListener(o -> resized());
        hoverCard.setId("timeline-hover");
        hoverCard.getStyleClass().add("hover-card");
        hoverCard.setManaged(false);
        hoverCard.setVisible(false);
        hoverCard.setMouseTransparent(true);
        canvasHolder.setFocusTraversable(true);
        canvasHolder.getStyleClass().add("timeline-canvas-holder");

        installFilters();
        ToggleGroup modes = new ToggleGroup();
        slotsMode.setToggleGroup(modes);
        keysMode.setToggleGroup(modes);
        slotsMode.setSelected(true);
        modes.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true); // one mode is always on
                return;
            }
            viewModel.rowModeProperty().set(now == keysMode ? TimelineModel.RowMode.KEYS : TimelineModel.RowMode.SLOTS);
            dirty = true;
        });
        viewModel.rowModeProperty().addListener((obs, old, now) ->
                (now == TimelineModel.RowMode.KEYS ? keysMode : slotsMode).setSelected(true));
        followToggle.setSelected(viewModel.followingProperty().get());
        followToggle.setOnAction(e -> setFollowing(followToggle.isSelected()));
        viewModel.followingProperty().addListener((obs, was, now) -> followToggle.setSelected(now));
        message.textProperty().bind(viewModel.messageProperty());
        theme.addListener((obs, old, now) -> {
            renderer.setPalette(palette(now));
            buildLegend();
            dirty = true;
        });
        buildLegend();

        canvasHolder.addEventHandler(ScrollEvent.SCROLL, this::scrolled);
        canvasHolder.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        canvasHolder.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        canvasHolder.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        canvasHolder.addEventHandler(MouseEvent.MOUSE_MOVED, this::moved);
        canvasHolder.addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover(null, 0, 0));
        canvasHolder.addEventHandler(KeyEvent.KEY_PRESSED, this::keyPressed);
        overviewHolder.addEventHandler(MouseEvent.MOUSE_PRESSED, this::overviewClicked);
        overviewHolder.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::overviewClicked);

        // The selection is the connection's: selecting a run here selects it in Runs, and back.
        viewModel.selectedRunIdProperty().bindBidirectional(session.selectedRunProperty());
        viewModel.selectedRunIdProperty().addListener((obs, old, now) -> {
            if (now != null && !now.equals(detailController.viewModel().runId())) {
                detailController.viewModel().show(now);
            }
            if (now != null) {
                reveal(now);
            }
            dirty = true;
        });
        detailController.viewModel().onOpenRun(id -> viewModel.selectedRunIdProperty().set(id));
        session.onEvents(events -> {
            viewModel.applyEvents(events);
            detailController.viewModel().applyEvents(events);
        });
        session.onResync(viewModel::resync);
        session.whenOpen(viewModel::start);

        canvas.sceneProperty().addListener((obs, old, now) -> {
            if (now == null) {
                frames.stop();
            } else {
                dirty = true;
                frames.start();
            }
        });
    }

    private void installFilters() {
        StatusFilterMenu.install(statusFilter, viewModel.statuses(), "timeline-status-", () -> { });
        search.textProperty().bindBidirectional(viewModel.searchProperty());
        taskFilter.textProperty().bindBidirectional(viewModel.taskProperty());
        queueFilter.textProperty().bindBidirectional(viewModel.queueProperty());
        tagFilter.textProperty().bindBidirectional(viewModel.tagProperty());
    }

    private void buildLegend() {
        TimelinePalette p = renderer.palette();
        legend.getChildren().setAll(
                chip("queued", p.queued()), chip("running", p.running()), chip("completed", p.completed()),
                chip("retried", p.retried()), chip("failed", p.failed()), chip("backoff", p.backoff()),
                chip("waiting on children", p.waiting()), chip("canceled", p.canceled()),
                chip("limit", p.limit()));
    }

    private static Label chip(String text, Color colour) {
        javafx.scene.shape.Rectangle swatch = new javafx.scene.shape.Rectangle(12, 8, colour);
        swatch.setArcWidth(3);
        swatch.setArcHeight(3);
        Label label = new Label(text, swatch);
        label.setGraphicTextGap(4);
        return label;
    }

    private static TimelinePalette palette(Theme theme) {
        return theme == Theme.DARK ? TimelinePalette.dark() : TimelinePalette.light();
    }

    // --- drawing -------------------------------------------------------------------------------------

    private void resized() {
        viewModel.viewport().resize(canvas.getWidth() - LaneGeometry.GUTTER,
                canvas.getHeight() - TimelineRenderer.AXIS, viewModel.model().now());
        dirty = true;
    }

    private void frame(long nanos) {
        viewModel.applyPending();
        if (nanos - lastTick >= TICK_NANOS) {
            lastTick = nanos;
            viewModel.tick();
        }
        boolean following = viewModel.viewport().following();
        boolean changed = dirty || drawnModelVersion != viewModel.model().version()
                || drawnFilterVersion != viewModel.filterVersion();
        if (!changed && !following) {
            return;
        }
        if (following && !dirty && nanos - lastFrame < FOLLOW_FRAME_NANOS) {
            return;
        }
        redraw(nanos);
    }

    /** Draws a frame now. */
    public void redraw(long nanos) {
        lastFrame = nanos;
        dirty = false;
        drawnModelVersion = viewModel.model().version();
        drawnFilterVersion = viewModel.filterVersion();
        long now = viewModel.model().now();
        Viewport vp = viewModel.viewport();
        vp.tick(now);
        LaneGeometry geometry = viewModel.geometry();
        vp.clampScrollTo(geometry.contentHeight());
        lastStats = renderer.draw(canvas.getGraphicsContext2D(), canvas.getWidth(), canvas.getHeight(), geometry, vp,
                viewModel.filter(), viewModel.selectedRunIdProperty().get(), hoverId,
                viewModel.model().rowMode() == TimelineModel.RowMode.KEYS, now);
        if (nanos - lastOverview >= OVERVIEW_NANOS || load.length == 0) {
            lastOverview = nanos;
            long to = now;
            long from = Math.min(viewModel.model().earliest(), vp.startMs());
            load = viewModel.model().load(from, Math.max(to, from + 1), 240);
            overviewFrom = from;
            overviewTo = Math.max(to, from + 1);
        }
        renderer.drawOverview(overview.getGraphicsContext2D(), overview.getWidth(), overview.getHeight(), load,
                overviewFrom, overviewTo, vp);
        summary.setText(viewModel.summary() + " · " + String.format(java.util.Locale.ROOT, "%,d bars", lastStats.bars()));
    }

    private long overviewFrom;
    private long overviewTo = 1;

    // --- input ---------------------------------------------------------------------------------------

    private void setFollowing(boolean on) {
        viewModel.setFollowing(on);
        dirty = true;
    }

    private void scrolled(ScrollEvent e) {
        if (e.isShortcutDown()) {
            viewModel.zoom(e.getDeltaY() > 0 ? 0.8 : 1.25, Math.max(0, e.getX() - LaneGeometry.GUTTER));
        } else if (e.isShiftDown() || Math.abs(e.getDeltaX()) > Math.abs(e.getDeltaY())) {
            double d = e.getDeltaX() != 0 ? e.getDeltaX() : e.getDeltaY();
            viewModel.pan(-d, 0);
        } else {
            viewModel.pan(0, -e.getDeltaY());
        }
        dirty = true;
        e.consume();
    }

    private void pressed(MouseEvent e) {
        canvasHolder.requestFocus();
        dragStartX = e.getX();
        dragLastX = e.getX();
        dragLastY = e.getY();
        dragged = false;
    }

    private void dragged(MouseEvent e) {
        if (Double.isNaN(dragStartX)) {
            return;
        }
        double dx = e.getX() - dragLastX;
        double dy = e.getY() - dragLastY;
        if (Math.abs(e.getX() - dragStartX) > 3 || dragged) {
            dragged = true;
            viewModel.pan(-dx, -dy);
            hover(null, 0, 0);
            dirty = true;
        }
        dragLastX = e.getX();
        dragLastY = e.getY();
    }

    private void released(MouseEvent e) {
        boolean click = !dragged && e.getButton() == MouseButton.PRIMARY;
        dragStartX = Double.NaN;
        if (!click) {
            return;
        }
        TimelineRun run = runAtCanvas(e.getX(), e.getY());
        if (run == null) {
            return;
        }
        viewModel.selectedRunIdProperty().set(run.id());
        detailController.viewModel().show(run.id());
        if (e.getClickCount() == 2) {
            openInRuns.accept(run.id());
        }
    }

    private void moved(MouseEvent e) {
        hover(runAtCanvas(e.getX(), e.getY()), e.getX(), e.getY());
    }

    private void hover(TimelineRun run, double x, double y) {
        String id = run == null ? null : run.id();
        if (!Objects.equals(id, hoverId)) {
            hoverId = id;
            dirty = true;
        }
        if (run == null) {
            hoverCard.setVisible(false);
            return;
        }
        hoverCard.setText(viewModel.describe(run));
        hoverCard.autosize();
        double w = hoverCard.getWidth();
        double h = hoverCard.getHeight();
        double cx = x + 14 + w > canvas.getWidth() ? x - 14 - w : x + 14;
        double cy = Math.min(y + 16, canvas.getHeight() - h - 2);
        hoverCard.relocate(Math.max(0, cx), Math.max(0, cy));
        hoverCard.setVisible(true);
    }

    private TimelineRun runAtCanvas(double x, double y) {
        if (x < LaneGeometry.GUTTER || y < TimelineRenderer.AXIS) {
            return null;
        }
        return viewModel.runAt(x - LaneGeometry.GUTTER, y - TimelineRenderer.AXIS);
    }

    /**
     * Where a run's bar is on the canvas (its middle, canvas coordinates), or null when it is not
     * drawn in the current view. For tests and keyboard users: the inverse of hit-testing.
     */
    public javafx.geometry.Point2D pointOf(String runId) {
        TimelineRun run = viewModel.model().run(runId);
        if (run == null || !run.hasStarted()) {
            return null;
        }
        LaneGeometry geometry = viewModel.geometry();
        double rowTop = geometry.rowTopOf(run);
        if (Double.isNaN(rowTop)) {
            return null;
        }
        Viewport vp = viewModel.viewport();
        long now = viewModel.model().now();
        long end = run.isFinished() ? run.endAt() : now;
        double a = Math.max(0, vp.x(run.slotStart()));
        double b = Math.min(vp.width(), vp.x(end));
        if (b < 0 || a > vp.width()) {
            return null;
        }
        double x = LaneGeometry.GUTTER + (a + Math.max(a, b)) / 2;
        double y = TimelineRenderer.AXIS + rowTop - vp.scrollY() + LaneGeometry.ROW / 2;
        if (y < TimelineRenderer.AXIS || y > canvas.getHeight()) {
            return null;
        }
        return new javafx.geometry.Point2D(x, y);
    }

    /**
     * Scrolls the lanes so that a run's row is on screen, and moves to its time when it is out of
     * view (which pauses following). Does nothing for a run the timeline does not hold.
     */
    public void reveal(String runId) {
        TimelineRun run = viewModel.model().run(runId);
        if (run == null || !run.hasStarted()) {
            return;
        }
        LaneGeometry geometry = viewModel.geometry();
        double rowTop = geometry.rowTopOf(run);
        if (Double.isNaN(rowTop)) {
            return;
        }
        Viewport vp = viewModel.viewport();
        double visible = vp.height() - LaneGeometry.ROW;
        if (rowTop < vp.scrollY() || rowTop > vp.scrollY() + visible) {
            vp.pan(0, rowTop - vp.scrollY() - visible / 2, geometry.contentHeight(), viewModel.model().now());
        }
        long end = run.isFinished() ? run.endAt() : viewModel.model().now();
        if (end < vp.startMs() || run.slotStart() > vp.endMs()) {
            long half = (long) (vp.spanMs() / 2);
            long middle = run.slotStart() + (end - run.slotStart()) / 2;
            viewModel.show(middle - half, middle + half);
        }
        dirty = true;
    }

    private void keyPressed(KeyEvent e) {
        double w = viewModel.viewport().width();
        switch (e.getCode()) {
            case PLUS, ADD, EQUALS -> viewModel.zoom(0.5, anchor());
            case MINUS, SUBTRACT -> viewModel.zoom(2, anchor());
            case LEFT -> viewModel.pan(-w * KEY_PAN_SHARE, 0);
            case RIGHT -> viewModel.pan(w * KEY_PAN_SHARE, 0);
            case UP -> viewModel.pan(0, -(LaneGeometry.ROW + LaneGeometry.ROW_GAP) * 3);
            case DOWN -> viewModel.pan(0, (LaneGeometry.ROW + LaneGeometry.ROW_GAP) * 3);
            case END -> setFollowing(true);
            case ENTER -> {
                String id = viewModel.selectedRunIdProperty().get();
                if (id != null) {
                    openInRuns.accept(id);
                }
            }
            case ESCAPE -> viewModel.selectedRunIdProperty().set(null);
            default -> {
                return;
            }
        }
        dirty = true;
        e.consume();
    }

    /** Zoom keys keep the middle in place (or now, while following). */
    private double anchor() {
        return viewModel.viewport().width() / 2;
    }

    private void overviewClicked(MouseEvent e) {
        double w = overview.getWidth() - LaneGeometry.GUTTER;
        if (w <= 0 || e.getX() < LaneGeometry.GUTTER) {
            return;
        }
        double share = (e.getX() - LaneGeometry.GUTTER) / w;
        long center = overviewFrom + (long) (share * (overviewTo - overviewFrom));
        long half = (long) (viewModel.viewport().spanMs() / 2);
        viewModel.show(center - half, center + half);
        dirty = true;
    }

    @FXML
    private void zoomIn() {
        viewModel.zoom(0.5, anchor());
        dirty = true;
    }

    @FXML
    private void zoomOut() {
        viewModel.zoom(2, anchor());
        dirty = true;
    }

    private void span(long ms) {
        Viewport vp = viewModel.viewport();
        vp.zoom(ms / vp.spanMs(), anchor(), viewModel.model().now());
        viewModel.ensureLoaded();
        dirty = true;
    }

    @FXML
    private void span1m() {
        span(60_000);
    }

    @FXML
    private void span15m() {
        span(15 * 60_000);
    }

    @FXML
    private void span1h() {
        span(3_600_000);
    }

    @FXML
    private void span1d() {
        span(86_400_000);
    }

    @FXML
    private void clearFilters() {
        search.clear();
        taskFilter.clear();
        queueFilter.clear();
        tagFilter.clear();
        StatusFilterMenu.clear(statusFilter);
    }

    @Override
    public void refresh() {
        viewModel.resync();
        detailController.viewModel().reload();
    }

    /** Puts the keyboard on the canvas (for +/-, arrows, End, Enter). */
    public void focusCanvas() {
        canvasHolder.requestFocus();
    }
}
