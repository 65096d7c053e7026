package io.taskdeck.app.connections;

import atlantafx.base.controls.ToggleSwitch;
import io.taskdeck.app.settings.AppSettings;
import io.taskdeck.app.shell.ConnectionState;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * Local's settings: the SQLite file it keeps its runs in (saving reopens Local on it), and
 * "Expose Local on localhost" with the URL and API key scripts and the Trigger.dev SDK use.
 * The exposure switch acts at once; the store file on "Save and reopen Local".
 */
public final class LocalSettingsDialog {

    /** What the dialog works with. */
    public record Context(AppSettings settings, LocalEngine local, ServerSession session, LocalExposure exposure,
                          Consumer<Path> reopen) {
        public Context {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(local, "local");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(exposure, "exposure");
            Objects.requireNonNull(reopen, "reopen");
        }
    }

    private LocalSettingsDialog() {
    }

    /** Builds the dialog (not shown): {@code dialog.show()} or {@code showAndWait()}. */
    public static Dialog<ButtonType> create(Window owner, Context c) {
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("Local settings");
        dialog.setHeaderText("Local: the embedded engine");
        dialog.getDialogPane().setId("local-settings");

        // --- store file ---
        Path chosen = c.settings().current().localStoreFile().orElse(c.local().defaultDatabaseFile());
        TextField path = new TextField(chosen.toString());
        path.setId("local-store-path");
        path.setPrefColumnCount(34);
        HBox.setHgrow(path, Priority.ALWAYS);
        Button browse = new Button("Browse\u2026");
        browse.setId("local-store-browse");
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Choose or name Local's store file");
            Path current = Path.of(path.getText().isBlank() ? chosen.toString() : path.getText().strip());
            if (current.getParent() != null && current.getParent().toFile().isDirectory()) {
                chooser.setInitialDirectory(current.getParent().toFile());
            }
            chooser.setInitialFileName(current.getFileName() == null ? "local.db" : current.getFileName().toString());
            chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("SQLite store (*.db)", "*.db"),
                    new FileChooser.ExtensionFilter("Any file", "*"));
            java.io.File file = chooser.showSaveDialog(dialog.getDialogPane().getScene().getWindow());
            if (file != null) {
                path.setText(file.getAbsolutePath());
            }
        });
        Button byDefault = new Button("Default");
        byDefault.setId("local-store-default");
        byDefault.setOnAction(e -> path.setText(c.local().defaultDatabaseFile().toString()));
        Label state = new Label();
        state.setId("local-store-state");
        state.setWrapText(true);
        state.setMaxWidth(560);
        state.textProperty().bind(Bindings.createStringBinding(() -> describe(c),
                c.session().stateProperty(), c.session().problemProperty(), c.session().openProperty()));
        Label note = new Label("Saving reopens Local on this file at once (it is created when missing; runs"
                + " still executing get 5 s to finish). Runs in the previous file stay there.");
        note.setWrapText(true);
        note.setMaxWidth(560);
        note.getStyleClass().add("text-muted");
        Label storeError = new Label();
        storeError.setId("local-store-message");
        storeError.getStyleClass().add("danger");
        storeError.setWrapText(true);
        storeError.setMaxWidth(560);

        // --- expose on localhost ---
        ToggleSwitch expose = new ToggleSwitch("Expose Local on localhost");
        expose.setId("local-expose");
        expose.setSelected(c.exposure().runningProperty().get());
        TextField port = new TextField(Integer.toString(c.settings().current().localHttpPort()));
        port.setId("local-expose-port");
        port.setPrefColumnCount(6);
        port.disableProperty().bind(c.exposure().runningProperty().or(c.exposure().busyProperty()));
        TextField url = readOnly("local-expose-url");
        url.textProperty().bind(Bindings.createStringBinding(() -> c.exposure().urlProperty().get() == null
                ? "(off)" : c.exposure().urlProperty().get(), c.exposure().urlProperty()));
        TextField key = readOnly("local-expose-key");
        key.setText(c.exposure().apiKey());
        Button copyUrl = copyButton("local-expose-copy-url", url);
        copyUrl.disableProperty().bind(c.exposure().runningProperty().not());
        Button copyKey = copyButton("local-expose-copy-key", key);
        Button newKey = new Button("New key");
        newKey.setId("local-expose-new-key");
        Label exposeMessage = new Label();
        exposeMessage.setId("local-expose-message");
        exposeMessage.setWrapText(true);
        exposeMessage.setMaxWidth(560);
        Runnable showExposeMessage = () -> {
            String problem = c.exposure().problemProperty().get();
            String u = c.exposure().urlProperty().get();
            exposeMessage.setText(problem != null ? problem : u == null
                    ? "Off. When on, the HTTP API serves Local on 127.0.0.1 only, for this key."
                    : "Serving. Trigger.dev SDK: TRIGGER_API_URL=" + u + " TRIGGER_SECRET_KEY=<the key>; curl: "
                      + "-H 'Authorization: Bearer <the key>' " + u + "/api/v1/tasks/<task>/trigger");
        };
        c.exposure().problemProperty().addListener(o -> showExposeMessage.run());
        c.exposure().urlProperty().addListener(o -> showExposeMessage.run());
        showExposeMessage.run();
        c.exposure().problemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                expose.setSelected(false);
            }
        });
        expose.selectedProperty().addListener((obs, was, now) -> {
            if (now && !c.exposure().runningProperty().get()) {
                int p;
                try {
                    p = parsePort(port.getText());
                } catch (IllegalArgumentException bad) {
                    exposeMessage.setText(bad.getMessage());
                    expose.setSelected(false);
                    return;
                }
                c.settings().update(s -> s.withLocalHttpPort(p));
                c.exposure().start(p);
            } else if (!now) {
                c.exposure().stop();
                showExposeMessage.run();
            }
        });
        newKey.setOnAction(e -> key.setText(c.exposure().newApiKey(() -> c.settings().current().localHttpPort())));

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        Label storeTitle = new Label("Store");
        storeTitle.getStyleClass().add("title-4");
        grid.add(storeTitle, 0, 0, 2, 1);
        grid.addRow(1, fieldLabel("File"), new HBox(6, path, browse, byDefault));
        grid.add(state, 1, 2);
        grid.add(note, 1, 3);
        grid.add(storeError, 1, 4);
        grid.add(new Separator(), 0, 5, 2, 1);
        grid.add(expose, 0, 6, 2, 1);
        grid.addRow(7, fieldLabel("Port"), port);
        grid.addRow(8, fieldLabel("URL"), new HBox(6, url, copyUrl));
        grid.addRow(9, fieldLabel("API key"), new HBox(6, key, copyKey, newKey));
        grid.add(exposeMessage, 1, 10);
        HBox.setHgrow(url, Priority.ALWAYS);
        HBox.setHgrow(key, Priority.ALWAYS);
        for (Label l : List.of(state, note, storeError, exposeMessage)) {
            l.setMinHeight(Region.USE_PREF_SIZE); // wrapped, never cut to one line
        }
        exposeMessage.setMinHeight(40); // room for the two lines "Serving…" takes
        for (Button b : List.of(browse, byDefault, copyUrl, copyKey, newKey)) {
            b.setMinWidth(Region.USE_PREF_SIZE); // never "..."
        }
        port.setMaxWidth(Region.USE_PREF_SIZE);
        dialog.getDialogPane().setContent(new VBox(grid));
        dialog.getDialogPane().setMinWidth(760);

        ButtonType save = new ButtonType("Save and reopen Local", ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().setAll(save, ButtonType.CLOSE);
        Button saveButton = (Button) dialog.getDialogPane().lookupButton(save);
        saveButton.setId("local-save");
        saveButton.addEventFilter(ActionEvent.ACTION, e -> {
            Path file;
            try {
                file = LocalStorePath.parse(path.getText());
            } catch (IllegalArgumentException bad) {
                storeError.setText(bad.getMessage());
                e.consume();
                return;
            }
            Path defaultFile = c.local().defaultDatabaseFile();
            c.settings().update(s -> s.withLocalStore(file.equals(defaultFile) ? null : file));
            boolean sameAndOpen = file.equals(c.local().openFile())
                    && c.session().stateProperty().get() != ConnectionState.OFFLINE;
            if (!sameAndOpen) {
                c.exposure().stop();
                c.reopen().accept(file);
            }
        });
        ((Button) dialog.getDialogPane().lookupButton(ButtonType.CLOSE)).setId("local-close");
        return dialog;
    }

    private static String describe(Context c) {
        if (c.session().stateProperty().get() == ConnectionState.OFFLINE) {
            return "Local is offline: " + c.session().problemProperty().get();
        }
        Path open = c.local().openFile();
        return open == null ? "Local is opening\u2026" : "Local is open on " + open + ".";
    }

    static int parsePort(String text) {
        try {
            int p = Integer.parseInt(text == null ? "" : text.strip());
            if (p >= 0 && p <= 65_535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("The port must be a number from 0 to 65535 (0 picks a free port), was '"
                + (text == null ? "" : text.strip()) + "'.");
    }

    private static Label fieldLabel(String text) {
        Label label = new Label(text);
        label.setMinWidth(Region.USE_PREF_SIZE); // never "..."
        return label;
    }

    private static TextField readOnly(String id) {
        TextField field = new TextField();
        field.setId(id);
        field.setEditable(false);
        field.getStyleClass().add("mono");
        field.setPrefColumnCount(30);
        return field;
    }

    private static Button copyButton(String id, TextField source) {
        Button copy = new Button("Copy");
        copy.setId(id);
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(source.getText());
            Clipboard.getSystemClipboard().setContent(content);
        });
        return copy;
    }
}
