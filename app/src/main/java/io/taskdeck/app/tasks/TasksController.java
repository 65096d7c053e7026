package io.taskdeck.app.tasks;

import io.taskdeck.app.connections.ServerSession;
import io.taskdeck.app.runs.RunDetailViewModel;
import io.taskdeck.app.shell.Refreshable;
import io.taskdeck.client.TaskInfo;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;

/** The Tasks view: every task definition with its queue, limits, retry policy, schema and run counts. */
public final class TasksController implements Refreshable {

    private final ServerSession session;
    private final TasksViewModel viewModel;
    private final Consumer<String> openTrigger;

    @FXML private TableView<TaskInfo> table;
    @FXML private TextArea schema;
    @FXML private Label message;
    @FXML private Button triggerButton;

    public TasksController(ServerSession session, TasksViewModel viewModel, Consumer<String> openTrigger) {
        this.session = Objects.requireNonNull(session, "session");
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
        this.openTrigger = Objects.requireNonNull(openTrigger, "openTrigger");
    }

    public TasksViewModel viewModel() {
        return viewModel;
    }

    @FXML
    private void initialize() {
        table.getColumns().setAll(
                col("Task", 180, TaskInfo::id),
                col("Queue", 140, TaskInfo::queue),
                col("Concurrency", 140, TasksViewModel::limits),
                col("Retry", 220, t -> TasksViewModel.retry(t.retry())),
                col("Max duration", 100, t -> TasksViewModel.maxDuration(t.maxDuration())),
                col("Schema", 70, t -> t.payloadSchema() == null ? "—" : "yes"),
                col("Runs", 260, t -> TasksViewModel.counts(t.counts())));
        table.setItems(viewModel.tasks());
        table.setPlaceholder(new Label("No tasks."));
        table.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2 && selected() != null) {
                openTrigger.accept(selected().id());
            }
        });
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) ->
                schema.setText(now == null ? "Select a task to see its payload schema; double-click to trigger it." : now.payloadSchema() == null ? "This task accepts any JSON payload."
                        : RunDetailViewModel.pretty(now.payloadSchema())));
        schema.setText("Select a task to see its payload schema; double-click to trigger it.");
        triggerButton.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        message.textProperty().bind(viewModel.messageProperty());
        session.whenOpen(viewModel::reload);
    }

    private TaskInfo selected() {
        return table.getSelectionModel().getSelectedItem();
    }

    private static TableColumn<TaskInfo, String> col(String title, double width, Function<TaskInfo, String> text) {
        TableColumn<TaskInfo, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(text.apply(cell.getValue())));
        return c;
    }

    @Override
    public void refresh() {
        viewModel.reload();
    }

    @FXML
    private void trigger() {
        if (selected() != null) {
            openTrigger.accept(selected().id());
        }
    }

    @FXML
    private void reload() {
        refresh();
    }
}
