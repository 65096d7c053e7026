package io.taskdeck.app.shell;

import io.taskdeck.app.fxml.FxmlFile;
import io.taskdeck.app.icons.AppIcon;
import javafx.scene.input.KeyCode;

/** The views each connection offers, in navigation order; Shortcut+1..5 jump to them. */
public enum View {
    RUNS("runs", FxmlFile.RUNS, AppIcon.RUNS, KeyCode.DIGIT1),
    TIMELINE("timeline", FxmlFile.TIMELINE, AppIcon.TIMELINE, KeyCode.DIGIT2),
    DEAD_LETTERS("deadletters", FxmlFile.DEAD_LETTERS, AppIcon.DEAD_LETTERS, KeyCode.DIGIT3),
    QUEUES("queues", FxmlFile.QUEUES, AppIcon.QUEUES, KeyCode.DIGIT4),
    TASKS("tasks", FxmlFile.TASKS, AppIcon.TASKS, KeyCode.DIGIT5);

    private final String key;
    private final FxmlFile fxml;
    private final AppIcon icon;
    private final KeyCode shortcutKey;

    View(String key, FxmlFile fxml, AppIcon icon, KeyCode shortcutKey) {
        this.key = key;
        this.fxml = fxml;
        this.icon = icon;
        this.shortcutKey = shortcutKey;
    }

    /** Stable id, used in node ids and resource keys. */
    public String key() {
        return key;
    }

    public FxmlFile fxml() {
        return fxml;
    }

    public AppIcon icon() {
        return icon;
    }

    public KeyCode shortcutKey() {
        return shortcutKey;
    }

    /** Resource key of the view's title in the strings bundle. */
    public String titleKey() {
        return "view." + key + ".title";
    }
}
