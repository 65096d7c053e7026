package io.taskdeck.app.concurrent;

import java.util.Objects;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Window;
import javafx.util.Duration;

/**
 * Calls something on the FX thread at a fixed interval while a view is on screen (in a scene,
 * attached to a parent, in a showing window) and while an extra condition holds; stops by itself
 * when the view leaves the screen or its window closes, so a view kept for later, or a closed
 * window, polls nobody.
 */
public final class FxPolling {

    private FxPolling() {
    }

    /**
     * @param view   the view whose presence on screen gates the polling
     * @param when   a further condition (e.g. "a bulk action runs"), or null for none
     * @param action what to call each interval (on the FX thread)
     * @return the binding that tells whether it is polling now (keep it referenced with the view)
     */
    public static BooleanBinding whileShowing(Node view, ObservableValue<Boolean> when, Duration every, Runnable action) {
        Objects.requireNonNull(action, "action");
        Timeline timeline = new Timeline(new KeyFrame(every, e -> action.run()));
        timeline.setCycleCount(Animation.INDEFINITE);
        ObservableValue<Boolean> windowShowing = view.sceneProperty().flatMap(Scene::windowProperty)
                .flatMap(Window::showingProperty).orElse(false);
        BooleanBinding active = Bindings.createBooleanBinding(
                () -> view.getParent() != null && windowShowing.getValue() && (when == null || Boolean.TRUE.equals(when.getValue())),
                view.parentProperty(), windowShowing, when == null ? view.parentProperty() : when);
        active.addListener((obs, was, now) -> {
            if (now) {
                action.run();
                timeline.play();
            } else {
                timeline.stop();
            }
        });
        if (active.get()) {
            timeline.play();
        }
        view.getProperties().put(FxPolling.class, active);
        return active;
    }
}
