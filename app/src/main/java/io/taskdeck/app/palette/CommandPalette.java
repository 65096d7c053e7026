package io.taskdeck.app.palette;

import io.taskdeck.app.Console;
import io.taskdeck.app.connections.ServerSession;
import io.taskdeck.app.shell.Connection;
import io.taskdeck.app.shell.View;
import io.taskdeck.client.TaskInfo;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.StageStyle;
import javafx.stage.Window;

/**
 * Ctrl+K: type to jump to a view of any connection, trigger a task, or open a run by id.
 * Enter runs the highlighted command; Esc (or clicking elsewhere) closes it.
 */
public final class CommandPalette {

    private CommandPalette() {
    }

    public static Stage show(Window owner, Console console) {
        List<Command> commands = new ArrayList<>();
        for (Connection c : console.shellViewModel().connections()) {
            for (View v : View.values()) {
                commands.add(new Command("Go to " + c.name() + " › " + console.shellViewModel().titleOf(v), "view",
                        () -> console.shellViewModel().navigate(c, v)));
            }
        }
        Connection current = console.shellViewModel().destination().connection();
        PaletteModel[] model = {new PaletteModel(commands, id -> openRun(console, current, id))};

        TextField query = new TextField();
        query.setId("palette-query");
        query.setPromptText("Jump to a view, a task, or paste a run id…");
        ListView<Command> list = new ListView<>();
        list.setId("palette-results");
        list.setPrefHeight(320);
        VBox box = new VBox(8, query, list);
        box.getStyleClass().add("palette");
        box.setPadding(new Insets(10));
        box.setPrefWidth(560);
        Stage popup = new Stage(StageStyle.TRANSPARENT);
        popup.initOwner(owner);
        popup.initModality(Modality.WINDOW_MODAL);
        Scene scene = new Scene(box, Color.TRANSPARENT);
        scene.getStylesheets().add(CommandPalette.class.getResource("/io/taskdeck/app/shell/views.css").toExternalForm());
        popup.setScene(scene);

        Runnable refilter = () -> {
            list.getItems().setAll(model[0].matching(query.getText()));
            if (!list.getItems().isEmpty()) {
                list.getSelectionModel().select(0);
            }
        };
        query.textProperty().addListener(o -> refilter.run());
        Runnable runSelected = () -> {
            Command c = list.getSelectionModel().getSelectedItem();
            popup.close();
            if (c != null) {
                c.action().run();
            }
        };
        query.setOnAction(e -> runSelected.run());
        list.setOnMouseClicked(e -> runSelected.run());
        scene.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                popup.close();
            } else if (e.getCode() == KeyCode.DOWN) {
                list.getSelectionModel().selectNext();
                e.consume();
            } else if (e.getCode() == KeyCode.UP) {
                list.getSelectionModel().selectPrevious();
                e.consume();
            }
        });
        popup.focusedProperty().addListener((obs, was, now) -> {
            if (!now) {
                popup.close();
            }
        });
        refilter.run();
        addTasks(console, current, commands, model, refilter);
        popup.show();
        popup.setX(owner.getX() + (owner.getWidth() - box.getPrefWidth()) / 2);
        popup.setY(owner.getY() + 90);
        Platform.runLater(query::requestFocus);
        return popup;
    }

    private static void addTasks(Console console, Connection current, List<Command> commands, PaletteModel[] model,
                                 Runnable refilter) {
        ServerSession session = console.connections().session(current);
        if (!session.openProperty().get()) {
            return;
        }
        console.uiTasks().supply(() -> session.server().listTasks()).onSuccess(tasks -> {
            for (TaskInfo t : tasks) {
                commands.add(new Command("Trigger " + t.id() + "…", "task", () -> console.openTrigger(t.id())));
            }
            model[0] = new PaletteModel(commands, id -> openRun(console, current, id));
            refilter.run();
        }).onError(e -> { }).start();
    }

    private static Command openRun(Console console, Connection connection, String runId) {
        return new Command("Open run " + runId, "run", () -> console.openRun(connection, runId));
    }
}
