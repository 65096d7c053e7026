package io.taskdeck.app.connections;

import io.taskdeck.app.errors.ServerErrors;
import io.taskdeck.app.shell.Connection;
import java.util.Optional;
import javafx.application.Platform;
import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/**
 * Adds or edits a remote connection: name, URL and API key, with "Test connection". Saving
 * checks the fields first and says what is wrong; Esc cancels.
 */
public final class ConnectionDialog {

    private ConnectionDialog() {
    }

    /** Shows the dialog and waits; the saved connection, or empty when cancelled. */
    public static Optional<Connection> show(Window owner, ConnectionManager manager, Connection existing) {
        Dialog<Connection> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle(existing == null ? "Add connection" : "Edit " + existing.name());
        dialog.setHeaderText(existing == null ? "Connect to a Taskdeck server" : "Edit " + existing.name());
        dialog.getDialogPane().setId("connection-dialog");
        TextField name = new TextField();
        name.setId("connection-name");
        name.setPromptText("Production");
        TextField url = new TextField();
        url.setId("connection-url");
        url.setPromptText("https://tasks.example.com");
        PasswordField key = new PasswordField();
        key.setId("connection-key");
        key.setPromptText("tdk_...");
        if (existing != null) {
            name.setText(existing.name());
            manager.remote(existing).ifPresent(r -> url.setText(r.url()));
            manager.apiKey(existing).ifPresent(key::setText);
        }
        Label result = new Label();
        result.setId("connection-test-result");
        result.setWrapText(true);
        result.setMaxWidth(420);
        Button test = new Button("Test connection");
        test.setId("connection-test");
        test.setOnAction(e -> {
            result.setText("Connecting…");
            try {
                manager.test(url.getText(), key.getText()).whenComplete((role, error) -> Platform.runLater(() ->
                        result.setText(error == null ? "Connected. This key's role is " + role.name().toLowerCase() + "."
                                : ServerErrors.describe(error))));
            } catch (IllegalArgumentException bad) {
                result.setText(bad.getMessage());
            }
        });
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.addRow(0, new Label("Name"), name);
        grid.addRow(1, new Label("URL"), url);
        grid.addRow(2, new Label("API key"), key);
        grid.add(test, 1, 3);
        grid.add(result, 1, 4);
        name.setPrefColumnCount(28);
        dialog.getDialogPane().setContent(grid);
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().setAll(save, ButtonType.CANCEL);
        Button saveButton = (Button) dialog.getDialogPane().lookupButton(save);
        saveButton.setId("connection-save");
        Connection[] saved = new Connection[1];
        saveButton.addEventFilter(ActionEvent.ACTION, e -> {
            try {
                saved[0] = existing == null ? manager.add(name.getText(), url.getText(), key.getText())
                        : manager.update(existing, name.getText(), url.getText(), key.getText());
            } catch (IllegalArgumentException bad) {
                result.setText(bad.getMessage());
                e.consume();
            }
        });
        dialog.setResultConverter(b -> b == save ? saved[0] : null);
        Platform.runLater(name::requestFocus);
        return dialog.showAndWait();
    }
}
