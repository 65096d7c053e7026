package io.taskdeck.app.errors;

import io.taskdeck.app.icons.AppIcon;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.image.Image;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * Shows an {@link ErrorReport}: a headline, the message in words and the log's location;
 * the stack trace only in the expandable details. While one error dialog is open, further
 * errors are only logged, so an error in a loop cannot bury the user in dialogs.
 */
public final class ErrorDialog {

    private final ResourceBundle strings;
    private final Supplier<Window> owner;
    private final List<Image> icons;
    private Alert showing;

    public ErrorDialog(ResourceBundle strings, Supplier<Window> owner, List<Image> icons) {
        this.strings = strings;
        this.owner = owner;
        this.icons = List.copyOf(icons);
    }

    /** Shows the report; callable from any thread. */
    public void show(ErrorReport report) {
        if (Platform.isFxApplicationThread()) {
            showOnFxThread(report);
        } else {
            Platform.runLater(() -> showOnFxThread(report));
        }
    }

    private void showOnFxThread(ErrorReport report) {
        if (showing != null && showing.isShowing()) {
            return;
        }
        Alert alert = new Alert(Alert.AlertType.ERROR, "", ButtonType.CLOSE);
        alert.setTitle(strings.getString("error.title"));
        alert.setHeaderText(strings.getString("error.headline"));
        FontIcon icon = AppIcon.ERROR.create(32);
        // FontIcon keeps its font in its inline style: add to it, do not replace it.
        icon.setStyle(icon.getStyle() + "-fx-icon-color: -color-danger-fg;");
        alert.setGraphic(icon);
        Label body = new Label(report.body());
        body.setWrapText(true);
        body.setId("error-body");
        alert.getDialogPane().setContent(new VBox(body));
        TextArea details = new TextArea(report.details());
        details.setEditable(false);
        details.setWrapText(false);
        details.setId("error-details");
        details.setPrefRowCount(14);
        alert.getDialogPane().setExpandableContent(details);
        alert.getDialogPane().setPrefWidth(560);
        Window window = owner.get();
        if (window != null && window.isShowing()) {
            alert.initOwner(window);
        } else if (alert.getDialogPane().getScene().getWindow() instanceof Stage stage) {
            stage.getIcons().setAll(icons);
        }
        showing = alert;
        // show(), not showAndWait(): an error may be reported during layout or an animation,
        // where a nested event loop is not allowed.
        alert.show();
    }
}
