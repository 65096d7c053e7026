package io.taskdeck.app.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskdeck.app.trigger.PayloadCheck;
import java.util.Optional;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** A small dialog to edit a JSON payload, checked as it is typed. Esc cancels. */
final class PayloadEditor {

    private PayloadEditor() {
    }

    static Optional<JsonNode> edit(Window owner, String title, String initial) {
        Dialog<JsonNode> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle(title);
        dialog.setHeaderText(title);
        TextArea text = new TextArea(initial);
        text.setId("payload-editor");
        text.getStyleClass().add("code");
        text.setPrefSize(560, 320);
        Label problem = new Label();
        problem.getStyleClass().add("problem");
        problem.setWrapText(true);
        ButtonType ok = new ButtonType("Replay", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().setAll(ok, ButtonType.CANCEL);
        dialog.getDialogPane().setContent(new VBox(8, text, problem));
        Runnable check = () -> {
            PayloadCheck c = PayloadCheck.of(text.getText(), null);
            problem.setText(c.valid() ? "" : String.join("\n", c.problems()));
            dialog.getDialogPane().lookupButton(ok).setDisable(!c.valid());
        };
        text.textProperty().addListener(o -> check.run());
        check.run();
        dialog.setResultConverter(b -> b == ok ? PayloadCheck.of(text.getText(), null).payload() : null);
        return dialog.showAndWait();
    }
}
