package io.taskdeck.app.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.app.settings.WindowBounds;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

class WindowPlacementTest {

    private static final Rectangle2D LAPTOP = new Rectangle2D(0, 0, 1440, 900);
    private static final Rectangle2D MONITOR = new Rectangle2D(1440, 0, 2560, 1440);

    @Test
    void firstStartCentresADefaultSizeOnThePrimaryScreen() {
        WindowBounds placed = WindowPlacement.place(Optional.empty(), List.of(LAPTOP), LAPTOP);

        assertThat(placed).isEqualTo(new WindowBounds(80, 50, 1280, 800, false));
    }

    @Test
    void savedBoundsOnAScreenAreKept() {
        WindowBounds saved = new WindowBounds(1600, 100, 1800, 1000, true);

        assertThat(WindowPlacement.place(Optional.of(saved), List.of(LAPTOP, MONITOR), LAPTOP)).isEqualTo(saved);
    }

    @Test
    void windowOnAnUnpluggedMonitorComesBackToThePrimaryScreen() {
        WindowBounds saved = new WindowBounds(1600, 100, 1800, 1000, false);

        WindowBounds placed = WindowPlacement.place(Optional.of(saved), List.of(LAPTOP), LAPTOP);

        assertThat(LAPTOP.contains(placed.x(), placed.y(), placed.width(), placed.height())).isTrue();
    }

    @Test
    void windowLargerThanItsScreenIsShrunkToFit() {
        WindowBounds saved = new WindowBounds(0, 0, 3000, 2000, false);

        WindowBounds placed = WindowPlacement.place(Optional.of(saved), List.of(LAPTOP), LAPTOP);

        assertThat(placed.width()).isEqualTo(1440);
        assertThat(placed.height()).isEqualTo(900);
    }

    @Test
    void titleBarAboveTheScreenIsPulledDown() {
        WindowBounds saved = new WindowBounds(100, -20, 1000, 700, false);

        WindowBounds placed = WindowPlacement.place(Optional.of(saved), List.of(LAPTOP), LAPTOP);

        assertThat(placed.y()).isEqualTo(0);
        assertThat(placed.x()).isEqualTo(100);
    }

    @Test
    void smallScreenGetsAWindowThatFits() {
        Rectangle2D small = new Rectangle2D(0, 0, 1024, 600);

        WindowBounds placed = WindowPlacement.place(Optional.empty(), List.of(small), small);

        assertThat(placed.width()).isLessThanOrEqualTo(1024);
        assertThat(placed.height()).isLessThanOrEqualTo(600);
    }
}
