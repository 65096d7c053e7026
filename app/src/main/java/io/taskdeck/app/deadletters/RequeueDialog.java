package io.taskdeck.app.deadletters;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.app.runs.RunDetailViewModel;
import io.taskdeck.app.trigger.PayloadCheck;
import io.taskdeck.client.RequeueOptions;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Asks how to requeue: with an edited payload (checked against the task's JSON Schema as it is
 * typed; Requeue stays disabled while it does not match) and/or onto another queue.
 */
final class RequeueDialog {

    private RequeueDialog() {
    }

    /**
     * @param payload the run's payload to start from, or null to ask for a queue only
     * @param schema  the task's payload schema, or null for none
     * @return the options, or empty when canceled
     */
    static Optional<RequeueOptions> show(Window owner, String title, JsonNode payload, JsonNode schema,
                                         String currentQueue, List<String> queues) {
        Dialog<RequeueOptions> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle(title);
        dialog.setHeaderText(title);
        dialog.getDialogPane().setId("requeue-dialog");
        ButtonType ok = new ButtonType("Requeue", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().setAll(ok, ButtonType.CANCEL);
        dialog.getDialogPane().lookupButton(ok).setId("requeue-ok");

        VBox content = new VBox(8);
        TextArea text = null;
        Label problem = new Label();
        problem.setId("requeue-problem");
        problem.getStyleClass().add("problem");
        problem.setWrapText(true);
        if (payload != null) {
            text = new TextArea(RunDetailViewModel.pretty(payload));
            text.setId("requeue-payload");
            text.getStyleClass().add("code");
            text.setPrefSize(560, 300);
            content.getChildren().addAll(new Label(schema == null ? "Payload (JSON)"
                    : "Payload (JSON, checked against the task's schema)"), text);
        }
        ComboBox<String> queue = new ComboBox<>();
        queue.setId("requeue-queue");
        queue.setEditable(true);
        queue.getItems().setAll(queues);
        queue.setValue(currentQueue);
        queue.setPrefWidth(300);
        content.getChildren().addAll(new Label("Queue"), queue, problem);
        dialog.getDialogPane().setContent(content);

        TextArea payloadText = text;
        Runnable check = () -> {
            String q = queue.getEditor().getText();
            String why = null;
            if (payloadText != null) {
                PayloadCheck c = PayloadCheck.of(payloadText.getText(), schema);
                if (!c.valid()) {
                    why = String.join("\n", c.problems());
                }
            }
            if (why == null && (q == null || q.isBlank())) {
                why = "Name the queue to requeue to.";
            }
            problem.setText(why == null ? "" : why);
            dialog.getDialogPane().lookupButton(ok).setDisable(why != null);
        };
        if (payloadText != null) {
            payloadText.textProperty().addListener(o -> check.run());
        }
        queue.getEditor().textProperty().addListener(o -> check.run());
        check.run();
        dialog.setResultConverter(b -> {
            if (b != ok) {
                return null;
            }
            String q = queue.getEditor().getText().strip();
            JsonNode edited = payloadText == null ? null : PayloadCheck.of(payloadText.getText(), schema).payload();
            return new RequeueOptions(edited, q.equals(currentQueue) ? null : q);
        });
        return dialog.showAndWait();
    }
}
