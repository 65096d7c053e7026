package io.taskdeck.app.fxml;

import java.io.IOException;
import java.util.Objects;
import java.util.ResourceBundle;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/** Loads the console's views, with their controllers from the one {@link ControllerFactory}. */
public final class FxmlLoaderFactory {

    /** A loaded view and its controller. */
    public record LoadedView<C>(Parent root, C controller) {
    }

    private final ControllerFactory controllers;
    private final ResourceBundle strings;

    public FxmlLoaderFactory(ControllerFactory controllers, ResourceBundle strings) {
        this.controllers = Objects.requireNonNull(controllers, "controllers");
        this.strings = Objects.requireNonNull(strings, "strings");
    }

    public ResourceBundle strings() {
        return strings;
    }

    /**
     * Loads a view.
     *
     * @throws FxmlLoadException naming the view when its FXML is missing or broken, or its
     *                           controller was never registered
     */
    public <C> LoadedView<C> load(FxmlFile file) {
        FXMLLoader loader = new FXMLLoader(file.url(), strings);
        loader.setControllerFactory(controllers);
        Parent root;
        try {
            root = loader.load();
        } catch (IOException | RuntimeException e) {
            ControllerFactory.UnregisteredControllerException unregistered = findUnregistered(e);
            if (unregistered != null) {
                throw new FxmlLoadException("Cannot load view " + file + " (" + file.resourcePath()
                        + "): its controller " + unregistered.controllerType().getName()
                        + " is not registered with the ControllerFactory", e);
            }
            throw new FxmlLoadException("Cannot load view " + file + " (" + file.resourcePath() + "): "
                    + e.getMessage(), e);
        }
        if (loader.getController() == null) {
            throw new FxmlLoadException("View " + file + " (" + file.resourcePath()
                    + ") declares no fx:controller; every view needs a registered controller", null);
        }
        return new LoadedView<>(root, loader.getController());
    }

    private static ControllerFactory.UnregisteredControllerException findUnregistered(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ControllerFactory.UnregisteredControllerException u) {
                return u;
            }
        }
        return null;
    }
}
