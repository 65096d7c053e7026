package io.taskdeck.app;

import static io.taskdeck.app.ConsoleFixture.await;
import static io.taskdeck.app.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.app.runs.RunRow;
import io.taskdeck.app.shell.View;
import io.taskdeck.app.timeline.TimelineController;
import io.taskdeck.app.timeline.TimelineRun;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.TriggerOptions;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/**
 * The timeline on Local: triggered runs appear as bars (found through the view's hit-testing, not
 * pixels), hovering tells about a run, clicking a bar opens that run's detail and selects it in
 * Runs too, and the keyboard zooms and pauses following.
 */
class TimelineUiTest extends ConsoleUiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void triggeredRunsAppearAsBarsAndAClickOpensTheRightRun() throws Exception {
        await("Local is connected", () -> app.console.currentSession().openProperty().get());
        onFx(() -> {
            app.console.shellViewModel().navigate(View.TIMELINE);
            return null;
        });
        TimelineController timeline = onFx(() -> (TimelineController) app.console.shell().currentController());

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(onFx(() -> app.console.currentSession().server()
                    .trigger("sleep", JSON.readTree("{\"ms\": 300}"), TriggerOptions.NONE).id()));
        }
        for (String id : ids) {
            await("the bar of " + id + " is drawn", () -> timeline.pointOf(id) != null);
        }
        await("the runs complete", () -> ids.stream().allMatch(id -> {
            TimelineRun r = timeline.viewModel().model().run(id);
            return r != null && r.status() == RunStatus.COMPLETED;
        }));
        // Stop following and frame the three runs, as a user looking closely would: bars stay put.
        onFx(() -> {
            long from = ids.stream().mapToLong(id -> timeline.viewModel().model().run(id).slotStart()).min().orElseThrow();
            long to = ids.stream().mapToLong(id -> timeline.viewModel().model().run(id).endAt()).max().orElseThrow();
            timeline.viewModel().show(from - 500, to + 500);
            return null;
        });
        assertThat(onFx(() -> timeline.viewModel().followingProperty().get())).isFalse();
        // Each bar is hit by the view's own hit-testing at its drawn position.
        for (String id : ids) {
            Point2D p = onFx(() -> timeline.pointOf(id));
            TimelineRun hit = onFx(() -> timeline.viewModel().runAt(p.getX() - 150, p.getY() - 24));
            assertThat(hit).isNotNull();
            assertThat(hit.id()).isEqualTo(id);
        }

        String target = ids.get(1);
        Point2D local = onFx(() -> timeline.pointOf(target));
        Point2D screen = onFx(() -> timeline.canvas().localToScreen(local));
        robot.moveTo(screen);
        await("hovering tells about the run", () -> {
            Label card = robot.lookup("#timeline-hover").queryAs(Label.class);
            return card.isVisible() && card.getText().startsWith(target + " · sleep")
                    && card.getText().contains("Completed");
        });

        robot.clickOn(screen);
        await("the detail shows the clicked run", () -> text("#detail-run-id").equals(target));
        assertThat(onFx(() -> app.console.currentSession().selectedRunProperty().get())).isEqualTo(target);

        // The keyboard: '-' zooms out, End follows now again, Left pauses following.
        double span = onFx(() -> timeline.viewModel().viewport().spanMs());
        robot.type(KeyCode.MINUS);
        await("zoomed out", () -> timeline.viewModel().viewport().spanMs() == span * 2);
        robot.type(KeyCode.END);
        await("following again", () -> timeline.viewModel().followingProperty().get());
        robot.type(KeyCode.LEFT);
        await("following paused", () -> !timeline.viewModel().followingProperty().get());

        // The selection is shared with Runs.
        onFx(() -> {
            app.console.shellViewModel().navigate(View.RUNS);
            return null;
        });
        await("Runs selects the same run", () -> {
            @SuppressWarnings("unchecked")
            TableView<RunRow> table = robot.lookup("#runs-table").queryAs(TableView.class);
            RunRow selected = table.getSelectionModel().getSelectedItem();
            return selected != null && selected.id().equals(target);
        });
    }

    private String text(String query) {
        return robot.lookup(query).tryQuery().map(n -> ((Label) n).getText()).map(t -> t == null ? "" : t).orElse("");
    }
}
