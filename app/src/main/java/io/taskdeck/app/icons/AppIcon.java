package io.taskdeck.app.icons;

import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** Every icon the console shows, by meaning; all from Ikonli's Feather pack. */
public enum AppIcon {
    RUNS(Feather.LIST),
    TIMELINE(Feather.ALIGN_LEFT),
    DEAD_LETTERS(Feather.INBOX),
    QUEUES(Feather.LAYERS),
    TASKS(Feather.PACKAGE),
    CONNECTION_LOCAL(Feather.MONITOR),
    CONNECTION_REMOTE(Feather.SERVER),
    THEME_LIGHT(Feather.SUN),
    THEME_DARK(Feather.MOON),
    THROUGHPUT(Feather.ACTIVITY),
    BACKLOG(Feather.CLOCK),
    COMING_SOON(Feather.TOOL),
    ERROR(Feather.ALERT_OCTAGON),
    TRIGGER(Feather.PLAY),
    REFRESH(Feather.REFRESH_CW),
    ADD(Feather.PLUS),
    EDIT(Feather.EDIT_2),
    REMOVE(Feather.TRASH_2);

    private final Ikon ikon;

    AppIcon(Ikon ikon) {
        this.ikon = ikon;
    }

    public Ikon ikon() {
        return ikon;
    }

    public FontIcon create() {
        return new AppIconView(this);
    }

    public FontIcon create(int size) {
        FontIcon icon = create();
        icon.setIconSize(size);
        return icon;
    }
}
