package io.taskdeck.app.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

class ListSyncTest {

    record Row(String id, int count) {
    }

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void anUnchangedSnapshotChangesNothingAndAChangedRowIsReplacedAlone() {
        ObservableList<Row> shown = FXCollections.observableArrayList(new Row("a", 1), new Row("b", 2), new Row("c", 3));
        List<String> changes = new ArrayList<>();
        shown.addListener((ListChangeListener<Row>) c -> changes.add(c.toString()));

        ListSync.sync(shown, List.of(new Row("a", 1), new Row("b", 2), new Row("c", 3)), Row::id);
        assertThat(changes).isEmpty();

        ListSync.sync(shown, List.of(new Row("a", 1), new Row("b", 5), new Row("c", 3)), Row::id);
        assertThat(shown).containsExactly(new Row("a", 1), new Row("b", 5), new Row("c", 3));
        assertThat(changes).hasSize(1);
    }

    @Test
    void anyReorderingEndsEqualToTheSnapshot() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            ObservableList<Row> shown = FXCollections.observableArrayList(randomRows(random));
            List<Row> fresh = randomRows(random);
            ListSync.sync(shown, fresh, Row::id);
            assertThat(shown).as("round %d", round).containsExactlyElementsOf(fresh);
        }
    }

    @Test
    void aTableKeepsItsSelectionThroughALiveRefresh() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            ObservableList<Row> shown = FXCollections.observableArrayList(new Row("a", 1), new Row("b", 2), new Row("c", 3));
            TableView<Row> table = new TableView<>();
            ListSync.showIn(table, shown, Row::id);
            table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
            table.getSelectionModel().select(1);
            table.getSelectionModel().select(2);

            // A new row at the top, "a" gone, "b" changed: b and c stay selected.
            ListSync.sync(shown, List.of(new Row("n", 0), new Row("b", 9), new Row("c", 3)), Row::id);

            assertThat(table.getSelectionModel().getSelectedItems()).extracting(Row::id).containsExactlyInAnyOrder("b", "c");
        }).get();
    }

    private static List<Row> randomRows(Random random) {
        List<Row> rows = new ArrayList<>();
        List<String> ids = new ArrayList<>(List.of("a", "b", "c", "d", "e", "f", "g", "h"));
        java.util.Collections.shuffle(ids, random);
        int n = random.nextInt(ids.size() + 1);
        for (int i = 0; i < n; i++) {
            rows.add(new Row(ids.get(i), random.nextInt(3)));
        }
        return rows;
    }
}
