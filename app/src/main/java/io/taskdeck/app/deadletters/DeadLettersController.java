package io.taskdeck.app.deadletters;

import io.taskdeck.app.concurrent.FxPolling;
import io.taskdeck.app.connections.OperatorGate;
import io.taskdeck.app.connections.ServerSession;
import io.taskdeck.app.live.ListSync;
import io.taskdeck.app.runs.RunDetailController;
import io.taskdeck.app.runs.RunsTable;
import io.taskdeck.app.shell.Refreshable;
import io.taskdeck.client.BulkAction;
import io.taskdeck.client.DeadLetterGroup;
import io.taskdeck.client.Run;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * The Dead letters view: error groups on the left; the open group's runs and the run detail on the
 * right; requeue, edit-and-requeue, requeue to another queue, replay and discard on the picked runs
 * or on the whole group, with a progress bar and abort for bulk actions.
 */
public final class DeadLettersController implements Refreshable {

    /** How often a running bulk action's progress is fetched. */
    static final javafx.util.Duration BULK_POLL = javafx.util.Duration.millis(250);

    /** Rate limits offered for bulk actions (runs per second); null is none. */
    static final List<Double> RATES = java.util.Arrays.asList(null, 1.0, 10.0, 50.0, 200.0);

    private final ServerSession session;
    private final DeadLettersViewModel viewModel;

    @FXML private java.util.ResourceBundle resources;
    @FXML private VBox root;
    @FXML private HBox actions;
    @FXML private Button requeueButton;
    @FXML private Button editButton;
    @FXML private Button moveButton;
    @FXML private Button replayButton;
    @FXML private Button discardButton;
    @FXML private ChoiceBox<Double> rateChoice;
    @FXML private HBox bulkBar;
    @FXML private ProgressBar bulkProgress;
    @FXML private Button abortButton;
    @FXML private Label message;
    @FXML private Label readOnly;
    @FXML private TableView<DeadLetterGroup> groupsTable;
    @FXML private Label groupTitle;
    @FXML private Label groupError;
    @FXML private ToggleButton selectAll;
    @FXML private Label runsCount;
    @FXML private TableView<Run> runsTable;
    @FXML private RunDetailController detailController;

    public DeadLettersController(ServerSession session, DeadLettersViewModel viewModel) {
        this.session = Objects.requireNonNull(session, "session");
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
    }

    public DeadLettersViewModel viewModel() {
        return viewModel;
    }

    public RunDetailController detail() {
        return detailController;
    }

    @FXML
    private void initialize() {
        configureGroups();
        configureRuns();

        rateChoice.getItems().setAll(RATES);
        rateChoice.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double rate) {
                return rate == null ? "None" : String.format(java.util.Locale.ROOT, "%.0f runs/s", rate);
            }

            @Override
            public Double fromString(String s) {
                throw new UnsupportedOperationException();
            }
        });
        rateChoice.setValue(null);
        rateChoice.valueProperty().bindBidirectional(viewModel.ratePerSecondProperty());

        BooleanBinding noTarget = Bindings.createBooleanBinding(() -> target() == null,
                runsTable.getSelectionModel().getSelectedItems(), selectAll.selectedProperty(), viewModel.groupProperty());
        BooleanBinding blocked = viewModel.canOperate().not().or(viewModel.bulkRunning());
        requeueButton.disableProperty().bind(blocked.or(noTarget));
        moveButton.disableProperty().bind(blocked.or(noTarget));
        replayButton.disableProperty().bind(blocked.or(noTarget));
        discardButton.disableProperty().bind(blocked.or(noTarget));
        editButton.disableProperty().bind(blocked.or(Bindings.createBooleanBinding(
                () -> selectAll.isSelected() || runsTable.getSelectionModel().getSelectedItems().size() != 1,
                runsTable.getSelectionModel().getSelectedItems(), selectAll.selectedProperty())));
        selectAll.disableProperty().bind(viewModel.groupProperty().isNull());

        // One status line: the bulk action's bar (with abort while it runs) and the last outcome.
        bulkBar.visibleProperty().bind(viewModel.bulkProperty().isNotNull().or(viewModel.messageProperty().isNotEmpty()));
        bulkBar.managedProperty().bind(bulkBar.visibleProperty());
        bulkProgress.visibleProperty().bind(viewModel.bulkProperty().isNotNull());
        bulkProgress.managedProperty().bind(bulkProgress.visibleProperty());
        bulkProgress.progressProperty().bind(Bindings.createDoubleBinding(() -> {
            BulkAction b = viewModel.bulkProperty().get();
            return b == null || b.total() == 0 ? 0 : (double) b.done() / b.total();
        }, viewModel.bulkProperty()));
        abortButton.visibleProperty().bind(viewModel.bulkRunning());
        abortButton.managedProperty().bind(abortButton.visibleProperty());
        FxPolling.whileShowing(root, viewModel.bulkRunning(), BULK_POLL, viewModel::pollBulk);
        message.textProperty().bind(viewModel.messageProperty());
        OperatorGate.explain(viewModel.readOnlyReason(), readOnly, actions);

        viewModel.roleProperty().bind(session.roleProperty());
        detailController.viewModel().onOpenRun(id -> detailController.viewModel().show(id));
        session.onEvents(events -> {
            viewModel.applyEvents(events);
            detailController.viewModel().applyEvents(events);
        });
        session.onResync(viewModel::refresh);
        session.whenOpen(viewModel::refresh);
    }

    private void configureGroups() {
        groupsTable.getColumns().setAll(
                column("Runs", 60, "col-count", g -> String.format(java.util.Locale.ROOT, "%,d", g.count())),
                column("Task", 105, "col-task", DeadLetterGroup::taskId),
                column("Last seen", 125, "col-last", g -> RunsTable.time(g.lastSeen())),
                column("Error", 240, "col-error", g -> g.sampleError() == null ? "" : g.sampleError().message()));
        groupsTable.setPlaceholder(wrapped("deadletters.groups.empty"));
        groupsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        ListSync.showIn(groupsTable, viewModel.groups(), DeadLetterGroup::fingerprint);
        groupsTable.setRowFactory(t -> {
            TableRow<DeadLetterGroup> row = new TableRow<>();
            row.itemProperty().addListener((obs, old, g) -> row.setTooltip(g == null || g.sampleError() == null ? null
                    : new Tooltip((g.sampleError().type() == null ? "" : g.sampleError().type() + ": ")
                    + g.sampleError().message())));
            return row;
        });
        groupsTable.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                viewModel.groupProperty().set(now);
            }
        });
        viewModel.groupProperty().addListener((obs, old, now) -> {
            if (now == null) {
                groupsTable.getSelectionModel().clearSelection();
                selectAll.setSelected(false);
            } else if (groupsTable.getSelectionModel().getSelectedItem() != now) {
                groupsTable.getSelectionModel().select(now);
            }
            if (old == null || now == null || !old.fingerprint().equals(now.fingerprint())) {
                selectAll.setSelected(false);
            }
            showGroupTitle();
        });
        showGroupTitle();
    }

    private Label wrapped(String key) {
        Label l = new Label(resources.getString(key));
        l.setWrapText(true);
        l.setMaxWidth(360);
        return l;
    }

    private void configureRuns() {
        runsTable.getColumns().setAll(
                column("ID", 250, "col-id", Run::id),
                column("Failed at", 125, "col-failed", r -> RunsTable.time(r.finishedAt())),
                column("Attempts", 75, "col-attempts", r -> String.valueOf(r.attemptCount())),
                column("Error", 200, "col-error", r -> r.error() == null ? "" : r.error().message()));
        ListSync.showIn(runsTable, viewModel.runs(), Run::id);
        runsTable.setPlaceholder(wrapped("deadletters.runs.empty"));
        runsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        runsTable.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        runsTable.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(Run item, boolean empty) {
                super.updateItem(item, empty);
                if (!empty && getIndex() >= viewModel.runs().size() - 10) {
                    viewModel.loadMore();
                }
            }
        });
        runsTable.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                detailController.viewModel().show(now.id());
            }
        });
        runsTable.getSelectionModel().getSelectedItems().addListener((javafx.collections.ListChangeListener<Run>) c -> {
            // Picking rows by hand ends "all in group".
            if (selectAll.isSelected() && runsTable.getSelectionModel().getSelectedItems().size() < viewModel.runs().size()) {
                selectAll.setSelected(false);
            }
        });
        selectAll.selectedProperty().addListener((obs, was, now) -> {
            if (now) {
                runsTable.getSelectionModel().selectAll();
            }
            showGroupTitle();
        });
        runsCount.textProperty().bind(Bindings.createStringBinding(() -> {
            DeadLetterGroup g = viewModel.groupProperty().get();
            if (g == null) {
                return "";
            }
            int picked = runsTable.getSelectionModel().getSelectedItems().size();
            return selectAll.isSelected() ? "all " + DeadLettersViewModel.runs(g.count()) + " selected"
                    : picked + " of " + DeadLettersViewModel.runs(g.count()) + " selected";
        }, viewModel.groupProperty(), runsTable.getSelectionModel().getSelectedItems(), selectAll.selectedProperty()));
    }

    private void showGroupTitle() {
        DeadLetterGroup g = viewModel.groupProperty().get();
        groupTitle.setText(g == null ? resources.getString("deadletters.runs.empty")
                : g.taskId() + " · " + DeadLettersViewModel.runs(g.count()));
        groupError.setText(g == null || g.sampleError() == null ? ""
                : (g.sampleError().type() == null ? "" : g.sampleError().type() + ": ") + g.sampleError().message()
                + "  (first " + RunsTable.time(g.firstSeen()) + ", last " + RunsTable.time(g.lastSeen()) + ")");
    }

    private static <T> TableColumn<T, String> column(String title, double width, String id, Function<T, String> text) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setId(id);
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(text.apply(cell.getValue())));
        return c;
    }

    /** What the actions apply to: the whole group, the picked runs, or nothing. */
    RequeueTarget target() {
        DeadLetterGroup g = viewModel.groupProperty().get();
        if (g == null) {
            return null;
        }
        if (selectAll.isSelected()) {
            return new RequeueTarget.Group(g.fingerprint(), g.count());
        }
        List<String> ids = runsTable.getSelectionModel().getSelectedItems().stream()
                .filter(Objects::nonNull).map(Run::id).toList();
        return ids.isEmpty() ? null : new RequeueTarget.Runs(ids);
    }

    @Override
    public void refresh() {
        viewModel.refresh();
        detailController.viewModel().reload();
    }

    @FXML
    private void requeue() {
        RequeueTarget t = target();
        if (t != null) {
            viewModel.requeue(t);
        }
    }

    @FXML
    private void requeueEdited() {
        RequeueTarget t = target();
        if (!(t instanceof RequeueTarget.Runs runs) || runs.ids().size() != 1) {
            return;
        }
        viewModel.loadForEdit(runs.ids().get(0), input -> viewModel.loadQueues(queues ->
                RequeueDialog.show(root.getScene().getWindow(), "Edit the payload of " + input.run().id()
                                + " and requeue", input.run().payload() == null
                                ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : input.run().payload(),
                        input.schema(), input.run().queue(), queues)
                        .ifPresent(o -> viewModel.requeueEdited(input.run().id(), o.payload(), o.queue()))));
    }

    @FXML
    private void requeueTo() {
        RequeueTarget t = target();
        if (t == null) {
            return;
        }
        String current = viewModel.groupProperty().get() == null || viewModel.runs().isEmpty() ? null
                : viewModel.runs().get(0).queue();
        viewModel.loadQueues(queues -> RequeueDialog.show(root.getScene().getWindow(),
                        "Requeue " + DeadLettersViewModel.runs(t.count()) + " to another queue", null, null, current, queues)
                .ifPresent(o -> viewModel.requeueTo(t, o.queue() == null ? current : o.queue())));
    }

    @FXML
    private void replay() {
        RequeueTarget t = target();
        if (t != null) {
            viewModel.replay(t);
        }
    }

    @FXML
    private void discard() {
        RequeueTarget t = target();
        if (t == null) {
            return;
        }
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, DeadLettersViewModel.discardQuestion(t),
                ButtonType.OK, ButtonType.CANCEL);
        confirm.initOwner(root.getScene().getWindow());
        confirm.setHeaderText("Discard " + DeadLettersViewModel.runs(t.count()) + "?");
        confirm.getDialogPane().setId("confirm-discard");
        ((Button) confirm.getDialogPane().lookupButton(ButtonType.OK)).setText("Discard " + DeadLettersViewModel.runs(t.count()));
        confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> viewModel.discard(t));
    }

    @FXML
    private void abort() {
        viewModel.abortBulk();
    }
}
