package io.taskdeck.app.runs;

import io.taskdeck.client.RunStatus;
import javafx.collections.ObservableSet;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.MenuButton;

/**
 * A menu of run statuses to filter by, one check item per status, kept in step with a set of
 * statuses; its label says what is chosen ("All statuses", "Failed", "3 statuses").
 */
public final class StatusFilterMenu {

    private StatusFilterMenu() {
    }

    /**
     * Fills {@code menu} with one item per status (ids {@code idPrefix + status}); ticking one adds
     * it to {@code statuses}, then {@code changed} runs.
     */
    public static void install(MenuButton menu, ObservableSet<RunStatus> statuses, String idPrefix, Runnable changed) {
        for (RunStatus status : RunStatus.values()) {
            CheckMenuItem item = new CheckMenuItem(StatusTone.label(status));
            item.setId(idPrefix + status.name());
            item.setSelected(statuses.contains(status));
            item.selectedProperty().addListener((obs, was, now) -> {
                if (now) {
                    statuses.add(status);
                } else {
                    statuses.remove(status);
                }
                label(menu, statuses);
                changed.run();
            });
            menu.getItems().add(item);
        }
        label(menu, statuses);
    }

    /** Unticks every status (the filter then shows all). */
    public static void clear(MenuButton menu) {
        menu.getItems().forEach(i -> ((CheckMenuItem) i).setSelected(false));
    }

    private static void label(MenuButton menu, ObservableSet<RunStatus> statuses) {
        int n = statuses.size();
        menu.setText(n == 0 ? "All statuses" : n == 1 ? StatusTone.label(statuses.iterator().next()) : n + " statuses");
    }
}
