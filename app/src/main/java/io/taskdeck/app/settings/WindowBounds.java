package io.taskdeck.app.settings;

/** Where the main window was, in screen coordinates, and whether it was maximized. */
public record WindowBounds(double x, double y, double width, double height, boolean maximized) {

    public WindowBounds {
        requireFinite("x", x);
        requireFinite("y", y);
        requirePositive("width", width);
        requirePositive("height", height);
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("window " + name + " must be a finite number, was " + value);
        }
    }

    private static void requirePositive(String name, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException("window " + name + " must be a positive number, was " + value);
        }
    }
}
