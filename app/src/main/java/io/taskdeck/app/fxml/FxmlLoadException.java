package io.taskdeck.app.fxml;

/** A view could not be loaded; the message names the view and what is wrong. */
public final class FxmlLoadException extends RuntimeException {

    public FxmlLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
