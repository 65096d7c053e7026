package io.taskdeck.app.icons;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.image.Image;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The app icon's PNG renditions (icons/generate.sh, packaged by taskdeck-ui-fxml). */
public final class WindowIcons {

    private static final Logger LOG = LoggerFactory.getLogger(WindowIcons.class);
    static final int[] SIZES = {16, 24, 32, 48, 64, 128, 256, 512};

    private WindowIcons() {
    }

    /** The renditions found on the class path; a missing one is logged and skipped. */
    public static List<Image> load() {
        List<Image> images = new ArrayList<>();
        for (int size : SIZES) {
            String path = "/io/taskdeck/app/icons/taskdeck-" + size + ".png";
            try (InputStream in = WindowIcons.class.getResourceAsStream(path)) {
                if (in == null) {
                    LOG.warn("App icon {} is missing from the class path", path);
                    continue;
                }
                images.add(new Image(in));
            } catch (java.io.IOException e) {
                LOG.warn("Cannot read app icon {}", path, e);
            }
        }
        return images;
    }
}
