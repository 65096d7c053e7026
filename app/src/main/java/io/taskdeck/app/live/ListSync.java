package io.taskdeck.app.live;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.TableView;

/**
 * Brings a shown list in step with a fresh snapshot with as few changes as it takes: rows that
 * went are removed, new rows inserted where they belong, changed rows replaced in place, and rows
 * that did not change are not touched. A table over the list keeps its selection, focus and
 * scroll position through a live refresh, which {@code setAll} would throw away. A table shows
 * such a list through {@link #showIn}, which also keeps a replaced row selected.
 */
public final class ListSync {

    private ListSync() {
    }

    /**
     * Makes {@code shown} equal to {@code fresh} (same elements, same order), matching rows by
     * {@code key}; keys must be unique within each list.
     */
    public static <T, K> void sync(ObservableList<T> shown, List<T> fresh, Function<? super T, ? extends K> key) {
        Set<K> keep = new HashSet<>();
        for (T item : fresh) {
            keep.add(key.apply(item));
        }
        for (int i = shown.size() - 1; i >= 0; i--) {
            if (!keep.contains(key.apply(shown.get(i)))) {
                shown.remove(i);
            }
        }
        for (int i = 0; i < fresh.size(); i++) {
            T item = fresh.get(i);
            K k = key.apply(item);
            if (i < shown.size() && Objects.equals(key.apply(shown.get(i)), k)) {
                if (!Objects.equals(shown.get(i), item)) {
                    shown.set(i, item);
                }
                continue;
            }
            // Not in place: it is new, or it moved up (something before it went or came).
            int from = indexOf(shown, k, key, i + 1);
            if (from >= 0) {
                shown.remove(from);
            }
            shown.add(i, item);
        }
        if (shown.size() > fresh.size()) {
            shown.remove(fresh.size(), shown.size());
        }
    }

    /**
     * Sets {@code items} as the table's rows and keeps the selection by key through every change
     * of the list: a row replaced in place, or one that only moved because others came or went,
     * stays selected (the table alone drops a replaced row, and some selected rows when a row
     * above them goes).
     */
    public static <T, K> void showIn(TableView<T> table, ObservableList<T> items, Function<? super T, ? extends K> key) {
        Set<K> held = new HashSet<>();
        boolean[] changing = {false};
        // What the user selected, by key; not what the table drops or picks while the rows change.
        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<T>) c -> {
            if (!changing[0]) {
                held.clear();
                for (T item : table.getSelectionModel().getSelectedItems()) {
                    if (item != null) {
                        held.add(key.apply(item));
                    }
                }
            }
        });
        // Runs before the table's own listener (added by setItems below).
        items.addListener((ListChangeListener<T>) c -> changing[0] = true);
        table.setItems(items);
        // Runs after the table's listener: select again what it let go.
        items.addListener((ListChangeListener<T>) c -> {
            try {
                Set<K> present = new HashSet<>();
                for (int i = 0; i < items.size() && !held.isEmpty(); i++) {
                    K k = key.apply(items.get(i));
                    present.add(k);
                    if (held.contains(k) && !table.getSelectionModel().isSelected(i)) {
                        table.getSelectionModel().select(i);
                    }
                }
                held.retainAll(present);  // a row that went is no longer held, should it come back
            } finally {
                changing[0] = false;
            }
        });
    }

    private static <T, K> int indexOf(List<T> list, K k, Function<? super T, ? extends K> key, int from) {
        for (int j = from; j < list.size(); j++) {
            if (Objects.equals(key.apply(list.get(j)), k)) {
                return j;
            }
        }
        return -1;
    }
}
