package io.taskdeck.app.runs;

import io.taskdeck.client.RunStatus;
import javafx.scene.control.Label;

/** A run status as a small coloured pill. */
public final class StatusBadge {

    private StatusBadge() {
    }

    public static Label of(RunStatus status) {
        Label badge = new Label();
        show(badge, status);
        return badge;
    }

    public static void show(Label badge, RunStatus status) {
        badge.setText(StatusTone.label(status));
        badge.getStyleClass().removeIf(c -> c.startsWith("tone-"));
        if (!badge.getStyleClass().contains("status-badge")) {
            badge.getStyleClass().add("status-badge");
        }
        badge.getStyleClass().add(StatusTone.of(status).styleClass());
    }
}
