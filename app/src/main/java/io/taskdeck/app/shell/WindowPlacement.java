package io.taskdeck.app.shell;

import io.taskdeck.app.settings.WindowBounds;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Rectangle2D;

/**
 * Where to open the main window: the saved bounds when they are still reachable on one of
 * today's screens (a monitor may have been unplugged), else a default size centred on the
 * primary screen.
 */
public final class WindowPlacement {

    static final double DEFAULT_WIDTH = 1280;
    static final double DEFAULT_HEIGHT = 800;
    static final double MIN_WIDTH = 880;
    static final double MIN_HEIGHT = 560;
    /** How much of the title bar must be on a screen for the user to grab it. */
    private static final double GRAB_WIDTH = 120;
    private static final double GRAB_HEIGHT = 32;

    private WindowPlacement() {
    }

    public static WindowBounds place(Optional<WindowBounds> saved, List<Rectangle2D> screens, Rectangle2D primary) {
        if (saved.isPresent()) {
            WindowBounds w = saved.get();
            Rectangle2D titleBar = new Rectangle2D(w.x(), w.y(), w.width(), GRAB_HEIGHT);
            for (Rectangle2D screen : screens) {
                if (overlapWidth(titleBar, screen) >= Math.min(GRAB_WIDTH, w.width())
                        && titleBar.intersects(screen)) {
                    double width = Math.min(Math.max(w.width(), MIN_WIDTH), screen.getWidth());
                    double height = Math.min(Math.max(w.height(), MIN_HEIGHT), screen.getHeight());
                    double y = Math.max(w.y(), screen.getMinY());
                    return new WindowBounds(w.x(), y, width, height, w.maximized());
                }
            }
        }
        double width = Math.min(DEFAULT_WIDTH, primary.getWidth() * 0.9);
        double height = Math.min(DEFAULT_HEIGHT, primary.getHeight() * 0.9);
        return new WindowBounds(primary.getMinX() + (primary.getWidth() - width) / 2,
                primary.getMinY() + (primary.getHeight() - height) / 2, width, height,
                saved.map(WindowBounds::maximized).orElse(false));
    }

    private static double overlapWidth(Rectangle2D a, Rectangle2D b) {
        return Math.min(a.getMaxX(), b.getMaxX()) - Math.max(a.getMinX(), b.getMinX());
    }
}
