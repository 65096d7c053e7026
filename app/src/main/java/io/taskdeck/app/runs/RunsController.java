package io.taskdeck.app.runs;

import io.taskdeck.app.connections.ServerSession;
import io.taskdeck.app.shell.Refreshable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.MouseButton;

/** The Runs view: filters, the live table of runs, actions on the selection, and the run detail. */
public final class RunsController implements Refreshable {

    private final ServerSession session;
    private final RunsViewModel viewModel;
    private final Consumer<String> openTrigger;

    @FXML private TextField search;
    @FXML private MenuButton statusFilter;
    @FXML private TextField taskFilter;
    @FXML private TextField queueFilter;
    @FXML private TextField tagFilter;
    @FXML private ChoiceBox<TimeRange> timeFilter;
    @FXML private TableView<RunRow> table;
    @FXML private Button cancelButton;
    @FXML private Button replayButton;
    @FXML private Button requeueButton;
    @FXML private ToggleButton liveToggle;
    @FXML private Label message;
    @FXML private javafx.scene.control.ProgressBar bulkProgress;
    @FXML private Button bulkAbort;
    @FXML private Label countLabel;
    @FXML private RunDetailController detailController;
    /** The top row asked for by the last insert, until the table lays out again; -1 when none. */
    private int pendingTop = -1;
    private double pendingHidden;
    private VirtualFlow<?> observedFlow;

    /**
     * @param openTrigger opens the trigger dialog (with a task id to preselect, or null)
     */
    public RunsController(ServerSession session, RunsViewModel viewModel, Consumer<String> openTrigger) {
        this.session = Objects.requireNonNull(session, "session");
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
        this.openTrigger = Objects.requireNonNull(openTrigger, "openTrigger");
    }

    public RunsViewModel viewModel() {
        return viewModel;
    }

    public RunDetailController detail() {
        return detailController;
    }

    @FXML
    private void initialize() {
        RunsTable.configure(table);
        table.setItems(viewModel.rows());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        // A live trim keeps the selected rows and every row down to the lowest one on screen.
        viewModel.setPinned(() -> {
            List<RunRow> held = new ArrayList<>(table.getSelectionModel().getSelectedItems());
            if (table.lookup(".virtual-flow") instanceof VirtualFlow<?> flow && flow.getLastVisibleCell() != null) {
                int last = flow.getLastVisibleCell().getIndex();
                if (last >= 0 && last < viewModel.rows().size()) {
                    held.add(viewModel.rows().get(last));
                }
            }
            return held;
        });
        table.setRowFactory(t -> {
            TableRow<RunRow> row = new TableRow<>() {
                @Override
                protected void updateItem(RunRow item, boolean empty) {
                    super.updateItem(item, empty);
                    // Load the next page as the last rows come into view.
                    if (!empty && getIndex() >= viewModel.rows().size() - 10) {
                        viewModel.loadMore();
                    }
                }
            };
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) {
                    detailController.viewModel().show(row.getItem().id());
                }
            });
            return row;
        });
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                detailController.viewModel().show(now.id());
                session.selectedRunProperty().set(now.id());
            }
        });
        // A run selected elsewhere (the timeline) is selected here too.
        session.selectedRunProperty().addListener((obs, old, now) -> {
            RunRow selectedRow = table.getSelectionModel().getSelectedItem();
            if (now != null && (selectedRow == null || !selectedRow.id().equals(now))) {
                openRun(now);
            }
        });
        viewModel.rows().addListener(this::keepScrollPosition);

        StatusFilterMenu.install(statusFilter, viewModel.statuses(), "status-filter-", viewModel::reload);
        timeFilter.getItems().setAll(TimeRange.values());
        timeFilter.setValue(TimeRange.ANY);
        timeFilter.valueProperty().addListener((obs, old, now) -> {
            viewModel.timeRangeProperty().set(now);
            viewModel.reload();
        });
        bindFilter(search, viewModel.searchProperty());
        bindFilter(taskFilter, viewModel.taskProperty());
        bindFilter(queueFilter, viewModel.queueProperty());
        bindFilter(tagFilter, viewModel.tagProperty());

        var noSelection = table.getSelectionModel().selectedItemProperty().isNull();
        cancelButton.disableProperty().bind(noSelection);
        replayButton.disableProperty().bind(noSelection);
        requeueButton.disableProperty().bind(noSelection);
        var bulkRunning = viewModel.bulkActionProperty().isNotNull();
        bulkProgress.progressProperty().bind(viewModel.bulkProgressProperty());
        for (javafx.scene.Node n : List.of(bulkProgress, bulkAbort)) {
            n.visibleProperty().bind(bulkRunning);
            n.managedProperty().bind(bulkRunning);
        }
        liveToggle.selectedProperty().bindBidirectional(viewModel.liveProperty());
        message.textProperty().bind(viewModel.messageProperty());
        countLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> viewModel.rows().size() + (viewModel.hasMoreProperty().get() ? "+ runs" : " runs"),
                viewModel.rows(), viewModel.hasMoreProperty()));

        detailController.viewModel().onOpenRun(this::openRun);
        session.onEvents(events -> {
            viewModel.applyEvents(events);
            detailController.viewModel().applyEvents(events);
        });
        session.onResync(viewModel::reload);
        session.onTick(viewModel::pollBulk);
        session.whenOpen(viewModel::reload);
    }

    private void bindFilter(TextField field, javafx.beans.property.StringProperty property) {
        field.textProperty().bindBidirectional(property);
        field.setOnAction(e -> viewModel.reload());
        field.focusedProperty().addListener((obs, was, now) -> {
            if (!now && !Objects.equals(viewModel.buildFilter(), viewModel.filter())) {
                viewModel.reload();
            }
        });
    }

    /**
     * New runs arrive at the top. A user looking at the top sees them; a user scrolled down keeps
     * looking at the same rows.
     */
    private void keepScrollPosition(ListChangeListener.Change<? extends RunRow> change) {
        while (change.next()) {
            if (change.wasAdded() && !change.wasReplaced() && change.getFrom() == 0
                    && change.getAddedSize() < viewModel.rows().size()
                    && table.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
                keepTopRow(flow, change.getAddedSize());
            }
        }
    }

    /**
     * Same rows, same pixels: the top row moves down by what was inserted, and the part of it that
     * was scrolled out of sight stays out of sight. Two inserts before the next layout (a head
     * refresh followed at once by another) build on the scroll asked for, not on stale cells.
     */
    private void keepTopRow(VirtualFlow<?> flow, int inserted) {
        if (observedFlow != flow) {
            observedFlow = flow;
            flow.needsLayoutProperty().addListener((obs, was, now) -> {
                if (!now) {
                    pendingTop = -1;
                }
            });
        }
        int top;
        double hidden;
        if (pendingTop >= 0) {
            top = pendingTop;
            hidden = pendingHidden;
        } else if (flow.getFirstVisibleCell() != null) {
            top = flow.getFirstVisibleCell().getIndex();
            hidden = -flow.getFirstVisibleCell().getLayoutY();
        } else {
            return;
        }
        if (top > 0 || hidden > 0) {
            pendingTop = top + inserted;
            pendingHidden = hidden;
            flow.scrollToTop(pendingTop);
            flow.scrollPixels(hidden);
        }
    }

    /** Shows a run: selects its row when it is loaded, and opens it in the detail pane. */
    public void openRun(String runId) {
        RunRow row = viewModel.row(runId);
        if (row != null) {
            table.getSelectionModel().clearSelection();
            table.getSelectionModel().select(row);
            table.scrollTo(row);
        }
        detailController.viewModel().show(runId);
    }

    /** Puts the cursor in the search field (Ctrl+F). */
    public void focusSearch() {
        search.requestFocus();
        search.selectAll();
    }

    @Override
    public void refresh() {
        viewModel.reload();
        detailController.viewModel().reload();
    }

    private List<RunRow> selected() {
        return List.copyOf(table.getSelectionModel().getSelectedItems());
    }

    @FXML
    private void cancelSelected() {
        viewModel.cancel(selected());
    }

    @FXML
    private void replaySelected() {
        viewModel.replay(selected());
    }

    @FXML
    private void requeueSelected() {
        viewModel.requeue(selected());
    }

    @FXML
    private void abortBulk() {
        viewModel.abortBulk();
    }

    @FXML
    private void trigger() {
        openTrigger.accept(null);
    }

    @FXML
    private void clearFilters() {
        StatusFilterMenu.clear(statusFilter);
        search.clear();
        taskFilter.clear();
        queueFilter.clear();
        tagFilter.clear();
        timeFilter.setValue(TimeRange.ANY);
        viewModel.reload();
    }

    @FXML
    private void reload() {
        refresh();
    }
}
