package io.taskdeck.app.connections;

import io.taskdeck.client.Role;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;

/**
 * Whether the connection's API key may change things (operator or admin) and, when it may not,
 * why: one gate for every view with actions a viewer key cannot take.
 */
public final class OperatorGate {

    private final ObjectProperty<Role> role = new SimpleObjectProperty<>(this, "role");
    private final BooleanBinding canOperate;
    private final StringBinding readOnlyReason;

    /** @param needs what the view's actions need, e.g. "Pausing and tuning queues needs" */
    public OperatorGate(String needs) {
        Objects.requireNonNull(needs, "needs");
        canOperate = Bindings.createBooleanBinding(() -> role.get() != null && role.get().canOperate(), role);
        readOnlyReason = Bindings.createStringBinding(() -> {
            if (role.get() == null) {
                return "Checking what this connection's API key may do…";
            }
            return role.get().canOperate() ? null
                    : "Read-only: this connection's API key has the viewer role. " + needs + " an operator or admin key.";
        }, role);
    }

    /** The caller's role on this connection, null until known. */
    public ObjectProperty<Role> roleProperty() {
        return role;
    }

    public BooleanBinding canOperate() {
        return canOperate;
    }

    /** Why the actions are disabled, or null when they are not. */
    public StringBinding readOnlyReason() {
        return readOnlyReason;
    }

    /**
     * Shows the reason in {@code banner} (hidden when there is none) and as the tooltip of
     * {@code actions}, the pane around the disabled controls: a disabled control shows no tooltip.
     */
    public static void explain(StringBinding reason, Label banner, Node actions) {
        banner.textProperty().bind(reason);
        banner.visibleProperty().bind(reason.isNotNull());
        banner.managedProperty().bind(banner.visibleProperty());
        Tooltip why = new Tooltip();
        why.textProperty().bind(reason);
        Runnable install = () -> Tooltip.install(actions, reason.get() == null ? null : why);
        reason.addListener(o -> install.run());
        install.run();
    }
}
