package io.taskdeck.app.trigger;

import io.taskdeck.app.fxml.FxmlFile;
import io.taskdeck.app.fxml.FxmlLoaderFactory;
import io.taskdeck.client.TriggerResult;
import java.util.function.Consumer;
import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.stage.Modality;
import javafx.stage.Window;

/**
 * The trigger dialog. "Trigger" sends the run and keeps the dialog open with a link to it (so
 * several runs can be sent in a row); "Open run" closes it and shows the run. Esc closes it.
 */
public final class TriggerDialog {

    public static final ButtonType TRIGGER = new ButtonType("Trigger", ButtonBar.ButtonData.APPLY);
    public static final ButtonType OPEN_RUN = new ButtonType("Open run", ButtonBar.ButtonData.OK_DONE);

    private TriggerDialog() {
    }

    /**
     * Opens the dialog (not waiting).
     *
     * @param openRun called with the run id when the user asks to see the triggered run
     */
    public static Dialog<ButtonType> open(Window owner, FxmlLoaderFactory fxml, String taskId, Consumer<String> openRun) {
        FxmlLoaderFactory.LoadedView<TriggerController> view = fxml.load(FxmlFile.TRIGGER);
        TriggerViewModel vm = view.controller().viewModel();
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.initModality(Modality.WINDOW_MODAL);
        dialog.setTitle(fxml.strings().getString("trigger.title"));
        dialog.setResizable(true);
        dialog.getDialogPane().setContent(view.root());
        dialog.getDialogPane().setPrefWidth(780);
        dialog.getDialogPane().setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        dialog.getDialogPane().getButtonTypes().setAll(TRIGGER, OPEN_RUN, ButtonType.CLOSE);
        dialog.getDialogPane().setId("trigger-dialog");
        Button trigger = (Button) dialog.getDialogPane().lookupButton(TRIGGER);
        trigger.setId("trigger-send");
        trigger.setDefaultButton(true);
        trigger.disableProperty().bind(vm.canTriggerProperty().not());
        trigger.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume(); // stay open: the result shows in the dialog
            vm.trigger();
        });
        Button open = (Button) dialog.getDialogPane().lookupButton(OPEN_RUN);
        open.setId("trigger-open-run");
        open.disableProperty().bind(vm.resultProperty().isNull());
        dialog.setOnHidden(e -> {
            TriggerResult r = vm.resultProperty().get();
            if (dialog.getResult() == OPEN_RUN && r != null) {
                openRun.accept(r.id());
            }
        });
        vm.loadTasks(taskId);
        dialog.show();
        return dialog;
    }
}
