package io.taskdeck.app.icons;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.kordamp.ikonli.javafx.FontIcon;

/** An {@link AppIcon} as a node, usable from FXML: {@code <AppIconView icon="RUNS"/>}. */
public class AppIconView extends FontIcon {

    private final ObjectProperty<AppIcon> icon = new SimpleObjectProperty<>(this, "icon");

    public AppIconView() {
        getStyleClass().add("app-icon");
        icon.addListener((obs, old, now) -> {
            if (now != null) {
                setIconCode(now.ikon());
            }
        });
    }

    public AppIconView(AppIcon icon) {
        this();
        setIcon(icon);
    }

    public ObjectProperty<AppIcon> iconProperty() {
        return icon;
    }

    public AppIcon getIcon() {
        return icon.get();
    }

    public void setIcon(AppIcon value) {
        icon.set(value);
    }
}
