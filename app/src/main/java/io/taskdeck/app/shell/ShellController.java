package io.taskdeck.app.shell;

import io.taskdeck.app.AppVersion;
import io.taskdeck.app.fxml.FxmlLoaderFactory;
import io.taskdeck.app.icons.AppIcon;
import io.taskdeck.app.theme.Theme;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The main window's frame: navigation, view header, the current view and the status bar. */
public final class ShellController {

    /** Shortcut+Shift+L switches between light and dark. */
    public static final KeyCombination TOGGLE_THEME =
            new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);

    private final ShellViewModel viewModel;
    private final FxmlLoaderFactory fxml;
    /** Views are loaded on first visit and kept, so a view keeps its state across visits. */
    private final Map<Destination, FxmlLoaderFactory.LoadedView<Object>> views = new HashMap<>();

    @FXML private BorderPane root;
    @FXML private VBox navigation;
    @FXML private StackPane content;
    @FXML private Label breadcrumb;
    @FXML private Label viewTitle;
    @FXML private Button themeToggle;
    @FXML private Region connectionDot;
    @FXML private Label connectionStatus;
    @FXML private Label runsPerSecond;
    @FXML private Label backlog;
    @FXML private Label version;
    @FXML private javafx.scene.layout.HBox problemBanner;
    @FXML private Label problemText;
    @FXML private Button problemAction;

    public ShellController(ShellViewModel viewModel, FxmlLoaderFactory fxml) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
        this.fxml = Objects.requireNonNull(fxml, "fxml");
    }

    @FXML
    private void initialize() {
        new NavigationSidebar(viewModel, navigation);
        breadcrumb.textProperty().bind(viewModel.breadcrumb());
        viewTitle.textProperty().bind(viewModel.title());
        connectionStatus.textProperty().bind(viewModel.connectionStateText());
        runsPerSecond.textProperty().bind(viewModel.runsPerSecondText());
        backlog.textProperty().bind(viewModel.backlogText());
        version.setText("Taskdeck " + AppVersion.current());

        viewModel.connectionStateProperty().addListener((obs, old, now) -> showConnectionState(now));
        showConnectionState(viewModel.connectionStateProperty().get());
        viewModel.themeProperty().addListener((obs, old, now) -> showTheme(now));
        showTheme(viewModel.themeProperty().get());
        viewModel.destinationProperty().addListener((obs, old, now) -> show(now));
        show(viewModel.destination());

        problemBanner.visibleProperty().bind(viewModel.problemShown());
        problemBanner.managedProperty().bind(viewModel.problemShown());
        problemText.textProperty().bind(viewModel.connectionProblemProperty());
        problemAction.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> fxml.strings()
                .getString(viewModel.destination().connection().kind() == Connection.Kind.LOCAL
                        ? "connection.banner.local" : "connection.banner.remote"), viewModel.destinationProperty()));
    }

    @FXML
    private void fixConnection() {
        viewModel.fixConnection();
    }

    /** Shortcut+1..5 go to the views of the current connection; Shortcut+Shift+L switches theme. */
    public void installShortcuts(Scene scene) {
        for (View view : View.values()) {
            scene.getAccelerators().put(new KeyCodeCombination(view.shortcutKey(), KeyCombination.SHORTCUT_DOWN),
                    () -> viewModel.navigate(view));
        }
        scene.getAccelerators().put(TOGGLE_THEME, viewModel::toggleTheme);
    }

    @FXML
    private void addConnection() {
        viewModel.addConnection();
    }

    /** The controller of the view on screen now. */
    public Object currentController() {
        return controllerOf(viewModel.destination());
    }

    @FXML
    private void toggleTheme() {
        viewModel.toggleTheme();
    }

    private void show(Destination destination) {
        FxmlLoaderFactory.LoadedView<Object> view =
                views.computeIfAbsent(destination, d -> fxml.load(d.view().fxml()));
        content.getChildren().setAll(view.root());
    }

    /** The controller of a view that was shown at least once. */
    public Object controllerOf(Destination destination) {
        FxmlLoaderFactory.LoadedView<Object> view = views.get(destination);
        return view == null ? null : view.controller();
    }

    /** The view on screen now. */
    public Parent currentView() {
        return (Parent) content.getChildren().get(0);
    }

    private void showConnectionState(ConnectionState state) {
        NavigationSidebar.tone(connectionDot, state);
    }

    private void showTheme(Theme theme) {
        // The button offers the other theme.
        boolean dark = theme == Theme.DARK;
        String label = fxml.strings().getString(dark ? "theme.switchToLight" : "theme.switchToDark");
        themeToggle.setText(label);
        themeToggle.setGraphic((dark ? AppIcon.THEME_LIGHT : AppIcon.THEME_DARK).create(16));
        themeToggle.setTooltip(new Tooltip(label + " (" + TOGGLE_THEME.getDisplayText() + ")"));
        root.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("dark"), dark);
    }
}
