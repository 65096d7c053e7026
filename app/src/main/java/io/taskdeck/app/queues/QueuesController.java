package io.taskdeck.app.queues;

import io.taskdeck.app.concurrent.FxPolling;
import io.taskdeck.app.connections.OperatorGate;
import io.taskdeck.app.connections.ServerSession;
import io.taskdeck.app.runs.StatusBadge;
import io.taskdeck.app.shell.Refreshable;
import io.taskdeck.client.QueueInfo;
import io.taskdeck.client.RunStatus;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.event.ActionEvent;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

/**
 * The Queues view: every queue's running / limit, backlog, throughput and waits, refreshed every
 * second while on screen; below, the selected queue's limit editor (Enter applies) with the drain
 * forecast for the limit being typed, reset, pause and resume.
 */
public final class QueuesController implements Refreshable {

    /** How often the figures are polled while the view is on screen. */
    static final javafx.util.Duration POLL = javafx.util.Duration.seconds(1);

    private final ServerSession session;
    private final QueuesViewModel viewModel;

    @FXML private VBox root;
    @FXML private TableView<QueueRow> table;
    @FXML private VBox editor;
    @FXML private Label editorEmpty;
    @FXML private Label queueName;
    @FXML private Label pausedBadge;
    @FXML private Label limitOrigin;
    @FXML private Spinner<Integer> limitSpinner;
    @FXML private Button applyButton;
    @FXML private Button resetButton;
    @FXML private Button pauseButton;
    @FXML private Pane actionsWrapper;
    @FXML private Label forecast;
    @FXML private Label readOnly;
    @FXML private Label message;

    public QueuesController(ServerSession session, QueuesViewModel viewModel) {
        this.session = Objects.requireNonNull(session, "session");
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
    }

    public QueuesViewModel viewModel() {
        return viewModel;
    }

    @FXML
    private void initialize() {
        configureTable();
        table.setItems(viewModel.rows());
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> viewModel.selectedProperty().set(now));
        viewModel.selectedProperty().addListener((obs, old, now) -> {
            if (now != null && table.getSelectionModel().getSelectedItem() != now) {
                table.getSelectionModel().select(now);
            }
        });

        SpinnerValueFactory.IntegerSpinnerValueFactory values =
                new SpinnerValueFactory.IntegerSpinnerValueFactory(0, 1_000_000, viewModel.limitProperty().get());
        limitSpinner.setValueFactory(values);
        limitSpinner.setEditable(true);
        values.valueProperty().addListener((obs, old, now) -> {
            if (now != null) {
                viewModel.limitProperty().set(now);
            }
        });
        viewModel.limitProperty().addListener((obs, old, now) -> {
            if (!Objects.equals(values.getValue(), now.intValue())) {
                values.setValue(now.intValue());
            }
        });
        // The forecast follows what is typed, before Enter.
        limitSpinner.getEditor().textProperty().addListener((obs, old, now) -> parse(now).ifPresent(viewModel.limitProperty()::set));
        limitSpinner.getEditor().addEventHandler(ActionEvent.ACTION, e -> applyLimit());

        var selectedInfo = viewModel.selectedProperty().flatMap(QueueRow::infoProperty);
        selectedInfo.addListener((obs, old, now) -> showSelected(now));
        showSelected(selectedInfo.getValue());
        forecast.textProperty().bind(Bindings.createStringBinding(() -> {
            DrainForecast f = viewModel.forecast().get();
            QueueInfo q = selectedInfo.getValue();
            return f == null || q == null ? "" : "At a limit of " + viewModel.limitProperty().get() + ": "
                    + f.describe(q.queued());
        }, viewModel.forecast(), viewModel.limitProperty()));

        var readOnlyMode = viewModel.canOperate().not();
        limitSpinner.disableProperty().bind(readOnlyMode);
        applyButton.disableProperty().bind(readOnlyMode);
        resetButton.disableProperty().bind(readOnlyMode.or(Bindings.createBooleanBinding(
                () -> selectedInfo.getValue() == null || selectedInfo.getValue().override() == null, selectedInfo)));
        pauseButton.disableProperty().bind(readOnlyMode);
        OperatorGate.explain(viewModel.readOnlyReason(), readOnly, actionsWrapper);
        message.textProperty().bind(viewModel.messageProperty());

        viewModel.roleProperty().bind(session.roleProperty());
        session.whenOpen(viewModel::poll);
        FxPolling.whileShowing(root, null, POLL, viewModel::poll);
    }

    private static java.util.Optional<Integer> parse(String text) {
        try {
            int v = Integer.parseInt(text.strip());
            return v >= 0 ? java.util.Optional.of(v) : java.util.Optional.empty();
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private void showSelected(QueueInfo q) {
        editor.setVisible(q != null);
        editor.setManaged(q != null);
        editorEmpty.setVisible(q == null);
        editorEmpty.setManaged(q == null);
        if (q == null) {
            return;
        }
        queueName.setText(q.name());
        pausedBadge.setVisible(q.paused());
        pausedBadge.setManaged(q.paused());
        limitOrigin.setText(QueuesViewModel.limitOrigin(q) + "  ·  " + QueuesViewModel.runningText(q) + " running, "
                + q.queued() + " queued");
        pauseButton.setText(q.paused() ? "Resume" : "Pause");
        pauseButton.getStyleClass().removeAll("danger", "success");
        pauseButton.getStyleClass().add(q.paused() ? "success" : "danger");
    }

    private void configureTable() {
        table.getColumns().setAll(
                text("Queue", 200, "col-queue", QueueInfo::name),
                text("Running / limit", 120, "col-running", QueuesViewModel::runningText),
                text("Queued", 80, "col-queued", q -> count(q.queued())),
                text("Delayed", 80, "col-delayed", q -> count(q.delayed())),
                stateColumn(),
                throughputColumn(),
                text("Wait p95", 90, "col-wait", q -> DrainForecast.human(q.waitP95())),
                text("Oldest waiting", 110, "col-oldest", q -> DrainForecast.human(q.oldestWaitingAge())));
        table.setPlaceholder(new Label("No queues yet: a queue appears when its task is registered."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static TableColumn<QueueRow, String> text(String title, double width, String id, Function<QueueInfo, String> f) {
        TableColumn<QueueRow, String> c = new TableColumn<>(title);
        c.setId(id);
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setCellValueFactory(cell -> cell.getValue().infoProperty().map(f));
        return c;
    }

    private static TableColumn<QueueRow, QueueInfo> stateColumn() {
        TableColumn<QueueRow, QueueInfo> c = new TableColumn<>("State");
        c.setId("col-state");
        c.setPrefWidth(90);
        c.setSortable(false);
        c.setCellValueFactory(cell -> cell.getValue().infoProperty());
        c.setCellFactory(col -> new TableCell<>() {
            private final Label badge = new Label();

            @Override
            protected void updateItem(QueueInfo q, boolean empty) {
                super.updateItem(q, empty);
                if (empty || q == null) {
                    setGraphic(null);
                    return;
                }
                // The run status palette: paused reads as a warning, running as accent.
                StatusBadge.show(badge, q.paused() ? RunStatus.DELAYED : q.running() > 0 ? RunStatus.EXECUTING
                        : RunStatus.QUEUED);
                badge.setText(q.paused() ? "Paused" : q.running() > 0 ? "Running" : "Idle");
                setGraphic(badge);
            }
        });
        return c;
    }

    private static TableColumn<QueueRow, QueueInfo> throughputColumn() {
        TableColumn<QueueRow, QueueInfo> c = new TableColumn<>("Throughput");
        c.setId("col-throughput");
        c.setPrefWidth(180);
        c.setSortable(false);
        c.setCellValueFactory(cell -> cell.getValue().infoProperty());
        c.setCellFactory(col -> new TableCell<>() {
            private final Sparkline line = new Sparkline(90, 18);
            private final Label value = new Label();
            private final HBox box = new HBox(8, line, value);

            {
                box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
                line.setStroke(Color.web("#2f81f7"));
            }

            @Override
            protected void updateItem(QueueInfo q, boolean empty) {
                super.updateItem(q, empty);
                if (empty || q == null || getTableRow() == null || getTableRow().getItem() == null) {
                    setGraphic(null);
                    return;
                }
                line.setValues(getTableRow().getItem().rates().throughputHistory());
                value.setText(DrainForecast.rate(q.throughputPerSecond()));
                setGraphic(box);
            }
        });
        return c;
    }

    @Override
    public void refresh() {
        viewModel.poll();
    }

    @FXML
    private void applyLimit() {
        String typed = limitSpinner.getEditor().getText();
        if (parse(typed).isEmpty()) {
            limitSpinner.getEditor().setText(String.valueOf(viewModel.limitProperty().get()));
            viewModel.applyLimit();
            return;
        }
        limitSpinner.commitValue();
        viewModel.applyLimit();
    }

    @FXML
    private void resetLimit() {
        viewModel.resetLimit();
    }

    @FXML
    private void togglePause() {
        QueueRow row = viewModel.selectedProperty().get();
        if (row == null) {
            return;
        }
        QueueInfo q = row.info();
        if (q.paused()) {
            viewModel.resume();
            return;
        }
        if (q.running() > 0 && !confirmPause(q)) {
            return;
        }
        viewModel.pause();
    }

    private boolean confirmPause(QueueInfo q) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION,
                q.running() + (q.running() == 1 ? " run is" : " runs are") + " executing on " + q.name()
                        + ". They finish; no new run starts until you resume. " + count(q.queued()) + " waiting stay queued.",
                ButtonType.OK, ButtonType.CANCEL);
        confirm.initOwner(root.getScene().getWindow());
        confirm.setHeaderText("Pause " + q.name() + "?");
        ((Button) confirm.getDialogPane().lookupButton(ButtonType.OK)).setText("Pause");
        confirm.getDialogPane().setId("confirm-pause");
        return confirm.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }
}
