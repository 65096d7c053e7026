package io.taskdeck.app;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.connections.ConnectionDialog;
import io.taskdeck.app.connections.ConnectionManager;
import io.taskdeck.app.connections.ConnectionStore;
import io.taskdeck.app.connections.CredentialStore;
import io.taskdeck.app.connections.LocalEngine;
import io.taskdeck.app.connections.LocalExposure;
import io.taskdeck.app.connections.LocalSettingsDialog;
import io.taskdeck.app.connections.ServerSession;
import io.taskdeck.app.runs.RunDetailController;
import io.taskdeck.app.runs.RunDetailViewModel;
import io.taskdeck.app.runs.RunsViewModel;
import io.taskdeck.app.shell.Connection;
import io.taskdeck.app.shell.Refreshable;
import io.taskdeck.app.shell.View;
import io.taskdeck.app.tasks.TasksViewModel;
import io.taskdeck.app.trigger.TriggerController;
import io.taskdeck.app.trigger.TriggerDialog;
import io.taskdeck.app.trigger.TriggerViewModel;
import io.taskdeck.client.Stats;
import io.taskdeck.client.TaskServer;
import java.time.Clock;
import java.util.function.BiFunction;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.util.Duration;
import io.taskdeck.app.deadletters.DeadLettersController;
import io.taskdeck.app.deadletters.DeadLettersViewModel;
import io.taskdeck.app.fxml.ControllerFactory;
import io.taskdeck.app.fxml.FxmlFile;
import io.taskdeck.app.fxml.FxmlLoaderFactory;
import io.taskdeck.app.icons.WindowIcons;
import io.taskdeck.app.queues.QueuesController;
import io.taskdeck.app.queues.QueuesViewModel;
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
import io.taskdeck.app.timeline.TimelineViewModel;
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
    private final ConnectionManager connections;
    private final LocalEngine local;
    private final LocalExposure exposure;
    private Timeline ticker;
    private Stage stage;
    private ShellController shell;
    /** The window's last bounds while neither maximized nor minimized: what to restore. */
    private volatile WindowBounds normalBounds;
    private volatile boolean maximized;

    /** How often live events reach the views: one batch per tick. */
    public static final Duration TICK = Duration.millis(250);

    /**
     * @param local        the embedded engine, opened on the store file of the settings
     * @param remoteServer opens a remote server from (URL, API key)
     */
    public Console(AppHome home, UiTasks tasks, Locale locale, LocalEngine local,
                   BiFunction<String, String, TaskServer> remoteServer) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.local = Objects.requireNonNull(local, "local");
        this.strings = strings(locale);
        this.settings = new AppSettings(new SettingsStore(home.settingsFile()), tasks);
        this.shellViewModel = new ShellViewModel(strings, locale);
        CredentialStore credentials = new CredentialStore(home.dir().resolve("credentials.properties"));
        this.connections = new ConnectionManager(shellViewModel.connections(), tasks,
                new ConnectionStore(home.dir().resolve("connections.json")), credentials,
                () -> local.open(localStoreFile()), remoteServer);
        this.exposure = new LocalExposure(local, tasks, credentials);
        this.fxml = new FxmlLoaderFactory(controllers(), strings);
    }

    public static ResourceBundle strings(Locale locale) {
        return ResourceBundle.getBundle(STRINGS, locale);
    }

    /**
     * The one place where controllers are registered, each with its dependencies. A view's
     * controller belongs to the connection being navigated to: views are loaded when the
     * destination changes, so {@link #currentSession()} is that connection's session.
     */
    private ControllerFactory controllers() {
        return ControllerFactory.builder()
                .register(ShellController.class, () -> new ShellController(shellViewModel, this.fxml))
                .register(RunsController.class, () -> {
                    ServerSession s = currentSession();
                    return new RunsController(s, new RunsViewModel(s::server, tasks, Clock.systemUTC()),
                            this::openTrigger);
                })
                .register(RunDetailController.class, () -> {
                    ServerSession s = currentSession();
                    return new RunDetailController(new RunDetailViewModel(s::server, tasks, () -> baseUrl(s)));
                })
                .register(TimelineController.class, () -> {
                    ServerSession s = currentSession();
                    Connection connection = s.connection();
                    return new TimelineController(s, new TimelineViewModel(s::server, tasks, Clock.systemUTC(),
                            TimelineViewModel.DEFAULT_MAX_RUNS), shellViewModel.themeProperty(),
                            runId -> openRun(connection, runId));
                })
                .register(DeadLettersController.class, () -> {
                    ServerSession s = currentSession();
                    return new DeadLettersController(s, new DeadLettersViewModel(s::server, tasks));
                })
                .register(QueuesController.class, () -> {
                    ServerSession s = currentSession();
                    return new QueuesController(s, new QueuesViewModel(s::server, tasks, Clock.systemUTC()));
                })
                .register(TasksController.class, () -> {
                    ServerSession s = currentSession();
                    return new TasksController(s, new TasksViewModel(s::server, tasks), this::openTrigger);
                })
                .register(TriggerController.class, () ->
                        new TriggerController(new TriggerViewModel(currentSession()::server, tasks)))
                .build();
    }

    /** The store file Local opens: the one in the settings, else the default in the home. */
    private java.nio.file.Path localStoreFile() {
        return settings.current().localStoreFile().orElse(local.defaultDatabaseFile());
    }

    /** Opens Local's settings: its store file, and exposing it on localhost. */
    public javafx.scene.control.Dialog<ButtonType> openLocalSettings() {
        var dialog = LocalSettingsDialog.create(stage, new LocalSettingsDialog.Context(settings, local,
                connections.session(Connection.LOCAL), exposure, file -> connections.reopenLocal(() -> {
                    local.close();
                    return local.open(file);
                })));
        dialog.show();
        return dialog;
    }

    public LocalExposure localExposure() {
        return exposure;
    }

    /** The session of the connection on screen. */
    public ServerSession currentSession() {
        return connections.session(shellViewModel.destination().connection());
    }

    public UiTasks uiTasks() {
        return tasks;
    }

    public ConnectionManager connections() {
        return connections;
    }

    private String baseUrl(ServerSession session) {
        return connections.remote(session.connection()).map(r -> r.url()).orElse(null);
    }

    /** Opens the trigger dialog for the current connection; "Open run" shows the run in Runs. */
    public javafx.scene.control.Dialog<ButtonType> openTrigger(String taskId) {
        Connection connection = shellViewModel.destination().connection();
        return TriggerDialog.open(stage, fxml, taskId, runId -> openRun(connection, runId));
    }

    /** Goes to Runs of a connection and opens a run there. */
    public void openRun(Connection connection, String runId) {
        shellViewModel.navigate(connection, View.RUNS);
        if (shell.currentController() instanceof RunsController runs) {
            runs.openRun(runId);
        }
    }

    /** Delivers the live events that arrived since the last tick; the ticker calls it every {@link #TICK}. */
    public void tick() {
        connections.tick();
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

        this.stage = stage;
        connections.start();
        shellViewModel.setStateSource(c -> connections.session(c).stateProperty());
        shellViewModel.setConnectionActions(
                () -> ConnectionDialog.show(stage, connections, null)
                        .ifPresent(c -> shellViewModel.navigate(c, View.RUNS)),
                c -> ConnectionDialog.show(stage, connections, c)
                        .ifPresent(now -> shellViewModel.navigate(now, shellViewModel.destination().view())),
                this::confirmRemove);
        shellViewModel.setLocalSettingsAction(this::openLocalSettings);
        shellViewModel.destinationProperty().addListener((obs, old, now) -> followStatus(now.connection()));
        followStatus(shellViewModel.destination().connection());

        FxmlLoaderFactory.LoadedView<ShellController> loaded = fxml.load(FxmlFile.SHELL);
        shell = loaded.controller();
        Scene scene = new Scene(loaded.root());
        shell.installShortcuts(scene);
        installShortcuts(scene);
        stage.setScene(scene);
        stage.setTitle("Taskdeck");
        stage.getIcons().setAll(WindowIcons.load());
        stage.setMinWidth(720);
        stage.setMinHeight(480);
        place(stage);
        stage.setOnHidden(e -> {
            rememberWindow();
            close();
        });
        stage.show();
        ticker = new Timeline(new KeyFrame(TICK, e -> tick()));
        ticker.setCycleCount(Animation.INDEFINITE);
        ticker.play();
    }

    /**
     * Stops the live updates, stops serving Local over HTTP and closes every connection; the
     * owner of the {@link LocalEngine} closes it. Safe to call more than once.
     */
    public void close() {
        if (ticker != null) {
            ticker.stop();
        }
        exposure.close();
        connections.close();
    }

    private void installShortcuts(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), () -> {
            if (shell.currentController() instanceof Refreshable r) {
                r.refresh();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            shellViewModel.navigate(View.RUNS);
            if (shell.currentController() instanceof RunsController runs) {
                runs.focusSearch();
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN),
                () -> io.taskdeck.app.palette.CommandPalette.show(stage, this));
    }

    /** The status bar follows the connection on screen: its state, its problem, its figures. */
    private void followStatus(Connection connection) {
        ServerSession session = connections.session(connection);
        shellViewModel.connectionStateProperty().bind(session.stateProperty());
        shellViewModel.connectionProblemProperty().bind(session.problemProperty());
        shellViewModel.runsPerSecondProperty().bind(javafx.beans.binding.Bindings.createObjectBinding(() -> {
            Stats st = session.statsProperty().get();
            return st == null ? null : st.completedPerSecond();
        }, session.statsProperty()));
        shellViewModel.backlogProperty().bind(javafx.beans.binding.Bindings.createObjectBinding(() -> {
            Stats st = session.statsProperty().get();
            return st == null ? null : st.backlog();
        }, session.statsProperty()));
    }

    private void confirmRemove(Connection connection) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION,
                "Remove the connection " + connection.name() + " and forget its API key?",
                ButtonType.OK, ButtonType.CANCEL);
        confirm.initOwner(stage);
        confirm.setHeaderText("Remove " + connection.name() + "?");
        confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> {
            if (shellViewModel.destination().connection().equals(connection)) {
                shellViewModel.navigate(Connection.LOCAL, shellViewModel.destination().view());
            }
            connections.remove(connection);
        });
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
