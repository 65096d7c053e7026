package io.taskdeck.app.shell;

import io.taskdeck.app.theme.Theme;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The shell's state, without a screen: connections, where the user is, the theme and the
 * status bar figures. The controller only binds to it.
 */
public final class ShellViewModel {

    static final String UNKNOWN = "—";

    private final ResourceBundle strings;
    private final Locale locale;
    private final ObservableList<Connection> connections = FXCollections.observableArrayList(Connection.LOCAL);
    private final ReadOnlyObjectWrapper<Destination> destination =
            new ReadOnlyObjectWrapper<>(this, "destination", new Destination(Connection.LOCAL, View.RUNS));
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme", Theme.LIGHT);
    private final ObjectProperty<ConnectionState> connectionState =
            new SimpleObjectProperty<>(this, "connectionState", ConnectionState.NOT_STARTED);
    /** Why the current connection does not work, or null. */
    private final javafx.beans.property.StringProperty connectionProblem =
            new javafx.beans.property.SimpleStringProperty(this, "connectionProblem");
    private java.util.function.Function<Connection, javafx.beans.value.ObservableValue<ConnectionState>> stateOf =
            c -> connectionState;
    private Runnable addConnection = () -> { };
    private java.util.function.Consumer<Connection> editConnection = c -> { };
    private java.util.function.Consumer<Connection> removeConnection = c -> { };
    private Runnable localSettings = () -> { };
    /** Completed runs per second over the last minute; null while unknown. */
    private final ObjectProperty<Double> runsPerSecond = new SimpleObjectProperty<>(this, "runsPerSecond");
    /** Runs queued and not yet executing; null while unknown. */
    private final ObjectProperty<Long> backlog = new SimpleObjectProperty<>(this, "backlog");

    private final StringBinding title;
    private final StringBinding breadcrumb;
    private final StringBinding connectionStateText;
    private final StringBinding runsPerSecondText;
    private final StringBinding backlogText;

    public ShellViewModel(ResourceBundle strings, Locale locale) {
        this.strings = Objects.requireNonNull(strings, "strings");
        this.locale = Objects.requireNonNull(locale, "locale");
        title = Bindings.createStringBinding(() -> titleOf(destination.get().view()), destination);
        breadcrumb = Bindings.createStringBinding(() -> destination.get().connection().name(), destination);
        connectionStateText = Bindings.createStringBinding(() -> MessageFormat.format(
                strings.getString("status.connection"), destination.get().connection().name(),
                strings.getString(connectionState.get().labelKey()))
                + (connectionProblem.get() == null ? "" : " \u2014 " + connectionProblem.get()),
                destination, connectionState, connectionProblem);
        runsPerSecondText = Bindings.createStringBinding(() -> formatRate(runsPerSecond.get()), runsPerSecond);
        backlogText = Bindings.createStringBinding(() -> formatCount(backlog.get()), backlog);
    }

    public String titleOf(View view) {
        return strings.getString(view.titleKey());
    }

    public ObservableList<Connection> connections() {
        return connections;
    }

    public ReadOnlyObjectProperty<Destination> destinationProperty() {
        return destination.getReadOnlyProperty();
    }

    public Destination destination() {
        return destination.get();
    }

    /** Goes to a view of a connection. */
    public void navigate(Connection connection, View view) {
        if (!connections.contains(connection)) {
            throw new IllegalArgumentException("Unknown connection " + connection.id());
        }
        destination.set(new Destination(connection, view));
    }

    /** Goes to another view of the current connection. */
    public void navigate(View view) {
        navigate(destination.get().connection(), view);
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public void toggleTheme() {
        theme.set(theme.get().toggled());
    }

    public ObjectProperty<ConnectionState> connectionStateProperty() {
        return connectionState;
    }

    public javafx.beans.property.StringProperty connectionProblemProperty() {
        return connectionProblem;
    }

    /** The live state of any connection (the sidebar's dots); by default the current one's. */
    public javafx.beans.value.ObservableValue<ConnectionState> stateOf(Connection connection) {
        return stateOf.apply(connection);
    }

    public void setStateSource(
            java.util.function.Function<Connection, javafx.beans.value.ObservableValue<ConnectionState>> source) {
        this.stateOf = Objects.requireNonNull(source, "source");
    }

    /** What the sidebar's connection actions do; set by the console. */
    public void setConnectionActions(Runnable add, java.util.function.Consumer<Connection> edit,
                                     java.util.function.Consumer<Connection> remove) {
        this.addConnection = Objects.requireNonNull(add, "add");
        this.editConnection = Objects.requireNonNull(edit, "edit");
        this.removeConnection = Objects.requireNonNull(remove, "remove");
    }

    /** What "Local settings…" does; set by the console. */
    public void setLocalSettingsAction(Runnable action) {
        this.localSettings = Objects.requireNonNull(action, "action");
    }

    public void openLocalSettings() {
        localSettings.run();
    }

    /** Whether the connection on screen is offline for a reason the user can act on (the banner). */
    public javafx.beans.binding.BooleanBinding problemShown() {
        return connectionState.isEqualTo(ConnectionState.OFFLINE).and(connectionProblem.isNotEmpty());
    }

    /** The banner's way out: Local's settings (another store file), or the remote connection's. */
    public void fixConnection() {
        Connection connection = destination.get().connection();
        if (connection.kind() == Connection.Kind.LOCAL) {
            openLocalSettings();
        } else {
            editConnection(connection);
        }
    }

    public void addConnection() {
        addConnection.run();
    }

    public void editConnection(Connection connection) {
        editConnection.accept(connection);
    }

    public void removeConnection(Connection connection) {
        removeConnection.accept(connection);
    }

    public ObjectProperty<Double> runsPerSecondProperty() {
        return runsPerSecond;
    }

    public ObjectProperty<Long> backlogProperty() {
        return backlog;
    }

    /** The current view's title. */
    public StringBinding title() {
        return title;
    }

    /** The current connection's name, shown above the title. */
    public StringBinding breadcrumb() {
        return breadcrumb;
    }

    public StringBinding connectionStateText() {
        return connectionStateText;
    }

    public StringBinding runsPerSecondText() {
        return runsPerSecondText;
    }

    public StringBinding backlogText() {
        return backlogText;
    }

    String formatRate(Double rate) {
        if (rate == null || rate.isNaN()) {
            return UNKNOWN;
        }
        NumberFormat format = NumberFormat.getNumberInstance(locale);
        format.setMaximumFractionDigits(rate < 10 ? 1 : 0);
        format.setMinimumFractionDigits(0);
        return format.format(rate);
    }

    String formatCount(Long count) {
        return count == null ? UNKNOWN : NumberFormat.getIntegerInstance(locale).format(count);
    }
}
