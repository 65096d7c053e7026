package io.taskdeck.app.shell;

import io.taskdeck.app.icons.AppIcon;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The left navigation: per connection a header and one entry per {@link View}. Kept in
 * step with {@link ShellViewModel#destinationProperty()} both ways.
 */
final class NavigationSidebar {

    private final ShellViewModel viewModel;
    private final VBox container;
    private final ToggleGroup group = new ToggleGroup();
    private final Map<Destination, ToggleButton> entries = new HashMap<>();
    /** Listeners on connection states of the current headers; removed when the sidebar is rebuilt. */
    private final List<Runnable> unbind = new ArrayList<>();

    NavigationSidebar(ShellViewModel viewModel, VBox container) {
        this.viewModel = viewModel;
        this.container = container;
        viewModel.connections().addListener((ListChangeListener<Connection>) change -> rebuild());
        viewModel.destinationProperty().addListener((obs, old, now) -> select(now));
        group.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now != null) {
                viewModel.navigate(((Destination) now.getUserData()).connection(),
                        ((Destination) now.getUserData()).view());
            }
        });
        rebuild();
    }

    private void rebuild() {
        container.getChildren().clear();
        group.getToggles().clear();
        entries.clear();
        unbind.forEach(Runnable::run);
        unbind.clear();
        for (Connection connection : viewModel.connections()) {
            container.getChildren().add(header(connection));
            for (View view : View.values()) {
                Destination destination = new Destination(connection, view);
                ToggleButton entry = entry(destination);
                entries.put(destination, entry);
                container.getChildren().add(entry);
            }
        }
        select(viewModel.destination());
    }

    private HBox header(Connection connection) {
        AppIcon icon = connection.kind() == Connection.Kind.LOCAL ? AppIcon.CONNECTION_LOCAL : AppIcon.CONNECTION_REMOTE;
        Label name = new Label(connection.name(), icon.create(14));
        name.getStyleClass().add("connection-name");
        Region dot = new Region();
        dot.getStyleClass().add("status-dot");
        javafx.beans.value.ObservableValue<ConnectionState> state = viewModel.stateOf(connection);
        tone(dot, state.getValue());
        javafx.beans.value.ChangeListener<ConnectionState> listener = (obs, old, now) -> tone(dot, now);
        state.addListener(listener);
        unbind.add(() -> state.removeListener(listener));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, name, spacer, dot);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("connection-header");
        header.setId("connection-" + connection.id());
        if (connection.kind() == Connection.Kind.LOCAL) {
            javafx.scene.control.MenuItem settings = new javafx.scene.control.MenuItem("Local settings\u2026");
            settings.setId("local-settings-item");
            settings.setOnAction(e -> viewModel.openLocalSettings());
            javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(settings);
            attachMenu(header, menu);
            header.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2) {
                    viewModel.openLocalSettings();
                }
            });
        } else {
            javafx.scene.control.MenuItem edit = new javafx.scene.control.MenuItem("Edit connection\u2026");
            edit.setOnAction(e -> viewModel.editConnection(connection));
            javafx.scene.control.MenuItem remove = new javafx.scene.control.MenuItem("Remove connection");
            remove.setOnAction(e -> viewModel.removeConnection(connection));
            javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu(edit, remove);
            attachMenu(header, menu);
            header.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2) {
                    viewModel.editConnection(connection);
                }
            });
        }
        return header;
    }

    /**
     * Opens the menu on the platform's context-menu gesture, and on a secondary click where the
     * platform sends no such gesture (headless glass, some remote desktops).
     */
    private static void attachMenu(HBox header, javafx.scene.control.ContextMenu menu) {
        header.setOnContextMenuRequested(e -> {
            menu.show(header, e.getScreenX(), e.getScreenY());
            e.consume();
        });
        header.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
            if (e.getButton() == javafx.scene.input.MouseButton.SECONDARY && !menu.isShowing()) {
                menu.show(header, e.getScreenX(), e.getScreenY());
            }
        });
    }

    /** Colours a status dot by the connection state's named style. */
    static void tone(Region dot, ConnectionState state) {
        dot.getStyleClass().removeIf(c -> c.startsWith("state-"));
        dot.getStyleClass().add(state.styleClass());
    }

    private ToggleButton entry(Destination destination) {
        View view = destination.view();
        String title = viewModel.titleOf(view);
        Label text = new Label(title);
        text.getStyleClass().add("nav-label");
        String shortcut = new KeyCodeCombination(view.shortcutKey(), KeyCombination.SHORTCUT_DOWN).getDisplayText();
        Label hint = new Label(shortcut);
        hint.getStyleClass().add("nav-shortcut");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox graphic = new HBox(10, view.icon().create(16), text, spacer, hint);
        graphic.setAlignment(Pos.CENTER_LEFT);

        ToggleButton entry = new ToggleButton();
        entry.setGraphic(graphic);
        entry.setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        entry.setAccessibleText(title);
        entry.setTooltip(new Tooltip(title + " (" + shortcut + ")"));
        entry.setMaxWidth(Double.MAX_VALUE);
        entry.setAlignment(Pos.CENTER_LEFT);
        entry.getStyleClass().add("nav-item");
        entry.setId(destination.navigationId());
        entry.setUserData(destination);
        entry.setToggleGroup(group);
        // A navigation entry stays selected when clicked again, unlike a plain toggle.
        entry.addEventFilter(MouseEvent.MOUSE_RELEASED, e -> {
            if (entry.isSelected()) {
                e.consume();
            }
        });
        return entry;
    }

    private void select(Destination destination) {
        Toggle entry = entries.get(destination);
        if (entry != null && group.getSelectedToggle() != entry) {
            group.selectToggle(entry);
        }
    }
}
