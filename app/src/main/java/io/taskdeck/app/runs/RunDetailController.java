package io.taskdeck.app.runs;

import io.taskdeck.client.Attempt;
import io.taskdeck.client.LogEntry;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunDetail;
import io.taskdeck.client.RunEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;

/** The run detail pane: header, actions, and tabs for payload, output, error, attempts, logs, events, related runs. */
public final class RunDetailController {

    private final RunDetailViewModel viewModel;

    @FXML private VBox root;
    @FXML private VBox content;
    @FXML private Label empty;
    @FXML private Label statusBadge;
    @FXML private Label runId;
    @FXML private Label summary;
    @FXML private FlowPane facts;
    @FXML private Label message;
    @FXML private TextArea payload;
    @FXML private TextArea output;
    @FXML private TextArea error;
    @FXML private TableView<Attempt> attempts;
    @FXML private TableView<LogEntry> logs;
    @FXML private TableView<RunEvent> events;
    @FXML private ListView<Run> related;
    @FXML private Button cancelButton;
    @FXML private Button requeueButton;

    public RunDetailController(RunDetailViewModel viewModel) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
    }

    public RunDetailViewModel viewModel() {
        return viewModel;
    }

    @FXML
    private void initialize() {
        attempts.getColumns().setAll(
                col("#", 40, a -> String.valueOf(a.number())),
                col("Outcome", 100, a -> StatusTone.label(a.status())),
                col("Started", 130, a -> RunsTable.time(a.startedAt())),
                col("Ended", 130, a -> RunsTable.time(a.finishedAt())),
                col("Took", 80, a -> RunsTable.duration(a.startedAt(), a.finishedAt())),
                col("Waited before", 100, this::waitBefore),
                col("Error", 260, a -> a.error() == null ? "" : a.error().message()));
        logs.getColumns().setAll(
                col("Time", 130, l -> RunsTable.time(l.at())),
                col("Level", 60, l -> l.level().name()),
                col("Attempt", 60, l -> String.valueOf(l.attempt())),
                col("Message", 420, l -> l.message() + (l.data() == null ? "" : "  " + l.data())));
        events.getColumns().setAll(
                col("Seq", 70, e -> String.valueOf(e.seq())),
                col("Time", 130, e -> RunsTable.time(e.at())),
                col("Event", 140, e -> e.type().name()),
                col("Status", 100, e -> StatusTone.label(e.status())),
                col("Attempt", 60, e -> e.attempt() == null ? "" : e.attempt().toString()),
                col("Details", 300, e -> e.details() == null ? "" : e.details().toString()));
        related.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(Run run, boolean isEmpty) {
                super.updateItem(run, isEmpty);
                if (isEmpty || run == null) {
                    setText(null);
                    setGraphic(null);
                } else {
                    setText(relation(run) + run.id() + " · " + run.taskId());
                    setGraphic(StatusBadge.of(run.status()));
                }
            }
        });
        related.setOnMouseClicked(e -> {
            Run run = related.getSelectionModel().getSelectedItem();
            if (e.getClickCount() == 2 && run != null) {
                viewModel.show(run.id());
            }
        });
        message.textProperty().bind(viewModel.messageProperty());
        viewModel.detailProperty().addListener((obs, old, now) -> show(now));
        show(viewModel.detail());
    }

    private String relation(Run run) {
        RunDetail d = viewModel.detail();
        if (d == null) {
            return "";
        }
        if (d.related().parent() != null && d.related().parent().id().equals(run.id())) {
            return "Parent  ";
        }
        if (d.related().root() != null && d.related().root().id().equals(run.id())) {
            return "Root  ";
        }
        return "Child  ";
    }

    /** How long the run waited before this attempt: queueing for the first, the retry backoff after. */
    private String waitBefore(Attempt a) {
        RunDetail d = viewModel.detail();
        if (d == null || a.startedAt() == null) {
            return "";
        }
        Instant from = a.number() == 1 ? d.run().createdAt() : d.attempts().stream()
                .filter(p -> p.number() == a.number() - 1).map(Attempt::finishedAt)
                .filter(Objects::nonNull).findFirst().orElse(null);
        return from == null ? "" : RunsTable.duration(from, a.startedAt());
    }

    private void show(RunDetail d) {
        content.setVisible(d != null);
        content.setManaged(d != null);
        empty.setVisible(d == null);
        empty.setManaged(d == null);
        if (d == null) {
            return;
        }
        Run r = d.run();
        StatusBadge.show(statusBadge, r.status());
        runId.setText(r.id());
        summary.setText(r.taskId() + "  ·  queue " + r.queue() + "  ·  attempt " + r.attemptCount() + " of "
                + r.maxAttempts());
        List<Label> items = new ArrayList<>();
        fact(items, "Created", RunsTable.time(r.createdAt()));
        fact(items, "Started", RunsTable.time(r.startedAt()));
        fact(items, "Finished", RunsTable.time(r.finishedAt()));
        fact(items, "Duration", RunsTable.duration(r.startedAt(), r.finishedAt()));
        fact(items, "Concurrency key", r.concurrencyKey());
        fact(items, "Idempotency key", r.idempotencyKey());
        fact(items, "Tags", String.join(", ", r.tags()));
        fact(items, "Priority", r.priority() == 0 ? null : r.priority() + " s");
        fact(items, "Delayed until", RunsTable.time(r.delayUntil()));
        fact(items, "TTL", r.ttl() == null ? null : r.ttl().toString());
        facts.getChildren().setAll(items);
        payload.setText(RunDetailViewModel.pretty(r.payload()));
        output.setText(r.output() == null ? (r.status().isFinal() ? "(no output)" : "(not finished yet)")
                : RunDetailViewModel.pretty(r.output()));
        error.setText(r.error() == null ? "(no error)" : (r.error().type() == null ? "" : r.error().type() + ": ")
                + r.error().message() + (r.error().stack() == null ? "" : "\n\n" + r.error().stack()));
        attempts.getItems().setAll(d.attempts());
        logs.getItems().setAll(d.logs());
        events.getItems().setAll(d.events());
        List<Run> rel = new ArrayList<>();
        if (d.related().root() != null && (d.related().parent() == null
                || !d.related().root().id().equals(d.related().parent().id()))) {
            rel.add(d.related().root());
        }
        if (d.related().parent() != null) {
            rel.add(d.related().parent());
        }
        rel.addAll(d.related().children());
        related.getItems().setAll(rel);
        cancelButton.setDisable(r.status().isFinal());
        requeueButton.setDisable(!r.status().isFailure());
    }

    private static void fact(List<Label> into, String key, String value) {
        if (value != null && !value.isBlank()) {
            Label l = new Label(key + ": " + value);
            l.getStyleClass().add("fact");
            into.add(l);
        }
    }

    private static <T> TableColumn<T, String> col(String title, double width, Function<T, String> text) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(text.apply(cell.getValue())));
        return c;
    }

    private static void copy(String text) {
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
    }

    @FXML
    private void replay() {
        viewModel.replay();
    }

    @FXML
    private void replayEdited() {
        RunDetail d = viewModel.detail();
        if (d != null) {
            PayloadEditor.edit(root.getScene().getWindow(), "Replay " + d.run().id() + " with another payload",
                    RunDetailViewModel.pretty(d.run().payload())).ifPresent(viewModel::replay);
        }
    }

    @FXML
    private void cancel() {
        viewModel.cancel();
    }

    @FXML
    private void requeue() {
        viewModel.requeue();
    }

    @FXML
    private void copyCurl() {
        copy(viewModel.curl());
    }

    @FXML
    private void copySdk() {
        copy(viewModel.sdkCall());
    }

    @FXML
    private void copyPayload() {
        copy(payload.getText());
    }

    @FXML
    private void copyOutput() {
        copy(output.getText());
    }

    @FXML
    private void copyError() {
        copy(error.getText());
    }
}
