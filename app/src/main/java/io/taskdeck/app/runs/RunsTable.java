package io.taskdeck.app.runs;

import io.taskdeck.client.Run;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/** The columns of the runs table; shared by every table that lists runs. */
public final class RunsTable {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM d HH:mm:ss").withZone(ZoneId.systemDefault());

    private RunsTable() {
    }

    /** Adds the run columns to a table of {@link RunRow}s. */
    public static void configure(TableView<RunRow> table) {
        table.getColumns().setAll(
                column("ID", 230, "col-id", Run::id),
                column("Task", 130, "col-task", Run::taskId),
                statusColumn(),
                column("Queue", 110, "col-queue", Run::queue),
                column("Concurrency key", 110, "col-key", r -> nullToEmpty(r.concurrencyKey())),
                column("Tags", 90, "col-tags", r -> String.join(", ", r.tags())),
                column("Attempts", 70, "col-attempts", r -> r.attemptCount() + " / " + r.maxAttempts()),
                column("Created", 115, "col-created", r -> time(r.createdAt())),
                column("Duration", 80, "col-duration", r -> duration(r.startedAt(), r.finishedAt())));
        table.setPlaceholder(new Label("No runs yet. Trigger one, or change the filters."));
        table.getColumns().get(0).getStyleClass().add("mono");
    }

    private static TableColumn<RunRow, String> column(String title, double width, String id, Function<Run, String> text) {
        TableColumn<RunRow, String> c = new TableColumn<>(title);
        c.setId(id);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> Bindings.createStringBinding(
                () -> text.apply(cell.getValue().run()), cell.getValue().runProperty()));
        c.setSortable(false);
        return c;
    }

    private static TableColumn<RunRow, Run> statusColumn() {
        TableColumn<RunRow, Run> c = new TableColumn<>("Status");
        c.setId("col-status");
        c.setPrefWidth(110);
        c.setSortable(false);
        c.setCellValueFactory(cell -> cell.getValue().runProperty());
        c.setCellFactory(col -> new TableCell<>() {
            private final Label badge = new Label();

            @Override
            protected void updateItem(Run run, boolean empty) {
                super.updateItem(run, empty);
                if (empty || run == null) {
                    setGraphic(null);
                    return;
                }
                StatusBadge.show(badge, run.status());
                setGraphic(badge);
            }
        });
        return c;
    }

    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** "1.2 s", "3 m 05 s"; empty before the run started; still counting while it runs. */
    public static String duration(Instant start, Instant end) {
        if (start == null) {
            return "";
        }
        Duration d = Duration.between(start, end == null ? Instant.now() : end);
        if (d.isNegative()) {
            return "";
        }
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = d.toSeconds();
        if (s < 3_600) {
            return String.format(java.util.Locale.ROOT, "%d m %02d s", s / 60, s % 60);
        }
        return String.format(java.util.Locale.ROOT, "%d h %02d m", s / 3_600, (s % 3_600) / 60);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
