package io.taskdeck.app.trigger;

import io.taskdeck.client.TaskInfo;
import java.util.Objects;
import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.util.StringConverter;

/** The content of the trigger dialog: task, payload editor with live checking, and the options. */
public final class TriggerController {

    private final TriggerViewModel viewModel;

    @FXML private ComboBox<TaskInfo> task;
    @FXML private Label taskInfo;
    @FXML private TextArea payload;
    @FXML private Label payloadProblem;
    @FXML private javafx.scene.control.Hyperlink showProblemLink;
    @FXML private TextField idempotencyKey;
    @FXML private TextField idempotencyKeyTtl;
    @FXML private TextField concurrencyKey;
    @FXML private TextField delay;
    @FXML private TextField ttl;
    @FXML private TextField tags;
    @FXML private TextField metadata;
    @FXML private TextField priority;
    @FXML private TextField maxAttempts;
    @FXML private TextField queue;
    @FXML private Label optionsProblem;
    @FXML private Label message;

    public TriggerController(TriggerViewModel viewModel) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
    }

    public TriggerViewModel viewModel() {
        return viewModel;
    }

    @FXML
    private void initialize() {
        task.setItems(viewModel.tasks());
        task.valueProperty().bindBidirectional(viewModel.taskProperty());
        task.setConverter(new StringConverter<>() {
            @Override
            public String toString(TaskInfo t) {
                return t == null ? "" : t.id();
            }

            @Override
            public TaskInfo fromString(String s) {
                return viewModel.tasks().stream().filter(t -> t.id().equals(s)).findFirst().orElse(null);
            }
        });
        task.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(TaskInfo t, boolean empty) {
                super.updateItem(t, empty);
                setText(empty || t == null ? null : t.id());
            }
        });
        taskInfo.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            TaskInfo t = viewModel.taskProperty().get();
            return t == null ? "" : "queue " + t.queue() + (t.payloadSchema() == null ? " · no payload schema"
                    : " · payload checked against the task's schema");
        }, viewModel.taskProperty()));
        payload.textProperty().bindBidirectional(viewModel.payloadProperty());
        payloadProblem.textProperty().bind(viewModel.payloadProblemProperty());
        showProblemLink.visibleProperty().bind(viewModel.payloadProblemOffsetProperty().greaterThanOrEqualTo(0));
        viewModel.payloadProblemProperty().addListener((obs, old, now) ->
                payload.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("invalid"), now != null));
        idempotencyKey.textProperty().bindBidirectional(viewModel.idempotencyKeyProperty());
        idempotencyKeyTtl.textProperty().bindBidirectional(viewModel.idempotencyKeyTtlProperty());
        concurrencyKey.textProperty().bindBidirectional(viewModel.concurrencyKeyProperty());
        delay.textProperty().bindBidirectional(viewModel.delayProperty());
        ttl.textProperty().bindBidirectional(viewModel.ttlProperty());
        tags.textProperty().bindBidirectional(viewModel.tagsProperty());
        metadata.textProperty().bindBidirectional(viewModel.metadataProperty());
        priority.textProperty().bindBidirectional(viewModel.priorityProperty());
        maxAttempts.textProperty().bindBidirectional(viewModel.maxAttemptsProperty());
        queue.textProperty().bindBidirectional(viewModel.queueProperty());
        optionsProblem.textProperty().bind(viewModel.optionsProblemProperty());
        message.textProperty().bind(viewModel.messageProperty());
    }

    /** Puts the caret where the payload's syntax error is. */
    @FXML
    private void showProblem() {
        int at = viewModel.payloadProblemOffsetProperty().get();
        if (at >= 0) {
            payload.requestFocus();
            payload.positionCaret(Math.min(at, payload.getLength()));
        }
    }
}
