package io.taskdeck.app;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.deadletters.DeadLettersController;
import io.taskdeck.app.fxml.ControllerFactory;
import io.taskdeck.app.fxml.FxmlFile;
import io.taskdeck.app.fxml.FxmlLoaderFactory;
import io.taskdeck.app.icons.WindowIcons;
import io.taskdeck.app.queues.QueuesController;
import io.taskdeck.app.runs.RunsController;
import io.taskdeck.app.settings.AppSettings;
import io.taskdeck.app.settings.SettingsStore;
import io.taskdeck.app.settings.WindowBounds;
import io.taskdeck.app.shell.ShellController;
import io.taskdeck.app.shell.ShellViewModel;
import io.taskdeck.app.shell.WindowPlacement;
import io.taskdeck.app.tasks.TasksController;
import io.taskdeck.app.theme.Theme;
import io.taskdeck.app.timeline.TimelineController;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;
import javafx.application.Application;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's composition root: builds the settings, view-models and controllers, and
 * opens the main window. Every controller is registered here, in {@link #controllers()}.
 */
public final class Console {

    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    /** The UI strings, in taskdeck-ui-fxml. */
    public static final String STRINGS = "io.taskdeck.app.i18n.strings";

    private final UiTasks tasks;
    private final AppSettings settings;
    private final ResourceBundle strings;
    private final ShellViewModel shellViewModel;
    private final FxmlLoaderFactory fxml;
    private ShellController shell;
    /** The window's last bounds while neither maximized nor minimized: what to restore. */
    private volatile WindowBounds normalBounds;
    private volatile boolean maximized;

    public Console(AppHome home, UiTasks tasks, Locale locale) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.strings = strings(locale);
        this.settings = new AppSettings(new SettingsStore(home.settingsFile()), tasks);
        this.shellViewModel = new ShellViewModel(strings, locale);
        this.fxml = new FxmlLoaderFactory(controllers(), strings);
    }

    public static ResourceBundle strings(Locale locale) {
        return ResourceBundle.getBundle(STRINGS, locale);
    }

    /** The one place where controllers are registered, each with its dependencies. */
    private ControllerFactory controllers() {
        return ControllerFactory.builder()
                .register(ShellController.class, () -> new ShellController(shellViewModel, this.fxml))
                .register(RunsController.class, RunsController::new)
                .register(TimelineController.class, TimelineController::new)
                .register(DeadLettersController.class, DeadLettersController::new)
                .register(QueuesController.class, QueuesController::new)
                .register(TasksController.class, TasksController::new)
                .build();
    }

    public FxmlLoaderFactory fxml() {
        return fxml;
    }

    public ShellViewModel shellViewModel() {
        return shellViewModel;
    }

    public ShellController shell() {
        return shell;
    }

    public AppSettings settings() {
        return settings;
    }

    /** Opens the main window on the given stage, with the remembered theme and bounds. */
    public void show(Stage stage) {
        Theme theme = settings.current().theme();
        Application.setUserAgentStylesheet(theme.userAgentStylesheet());
        shellViewModel.themeProperty().set(theme);
        shellViewModel.themeProperty().addListener((obs, old, now) -> {
            Application.setUserAgentStylesheet(now.userAgentStylesheet());
            settings.update(s -> s.withTheme(now));
            LOG.info("Theme switched to {}", now);
        });

        FxmlLoaderFactory.LoadedView<ShellController> loaded = fxml.load(FxmlFile.SHELL);
        shell = loaded.controller();
        Scene scene = new Scene(loaded.root());
        shell.installShortcuts(scene);
        stage.setScene(scene);
        stage.setTitle("Taskdeck");
        stage.getIcons().setAll(WindowIcons.load());
        stage.setMinWidth(720);
        stage.setMinHeight(480);
        place(stage);
        stage.setOnHidden(e -> rememberWindow());
        stage.show();
    }

    private void place(Stage stage) {
        List<Rectangle2D> screens = Screen.getScreens().stream().map(Screen::getVisualBounds).toList();
        WindowBounds bounds = WindowPlacement.place(settings.current().windowBounds(), screens,
                Screen.getPrimary().getVisualBounds());
        stage.setX(bounds.x());
        stage.setY(bounds.y());
        stage.setWidth(bounds.width());
        stage.setHeight(bounds.height());
        normalBounds = bounds;
        stage.setMaximized(bounds.maximized());
        Runnable track = () -> {
            if (!stage.isMaximized() && !stage.isIconified() && stage.getWidth() > 0 && stage.getHeight() > 0) {
                normalBounds = new WindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), false);
            }
        };
        stage.xProperty().addListener(o -> track.run());
        stage.yProperty().addListener(o -> track.run());
        stage.widthProperty().addListener(o -> track.run());
        stage.heightProperty().addListener(o -> track.run());
        maximized = stage.isMaximized();
        stage.maximizedProperty().addListener((obs, old, now) -> maximized = now);
    }

    /**
     * Saves where the window is, at once. Called when the window closes, and from a shutdown
     * hook so that a logout or {@code kill} does not lose it either; safe on any thread.
     */
    public void rememberWindow() {
        WindowBounds b = normalBounds;
        if (b == null) {
            return;
        }
        WindowBounds remembered = new WindowBounds(b.x(), b.y(), b.width(), b.height(), maximized);
        if (!remembered.equals(settings.current().window())) {
            settings.updateNow(s -> s.withWindow(remembered));
        }
    }
}
