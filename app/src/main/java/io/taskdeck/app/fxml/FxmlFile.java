package io.taskdeck.app.fxml;

import java.net.URL;

/**
 * Every view of the console. The FXML sits in taskdeck-ui-fxml at the resource path
 * matching its feature package; its controller must be registered with the
 * {@link ControllerFactory} (see {@code io.taskdeck.app.Console}), or loading fails.
 */
public enum FxmlFile {
    SHELL("/io/taskdeck/app/shell/shell.fxml"),
    RUNS("/io/taskdeck/app/runs/runs.fxml"),
    TIMELINE("/io/taskdeck/app/timeline/timeline.fxml"),
    DEAD_LETTERS("/io/taskdeck/app/deadletters/deadletters.fxml"),
    QUEUES("/io/taskdeck/app/queues/queues.fxml"),
    TASKS("/io/taskdeck/app/tasks/tasks.fxml"),
    /** Included by RUNS. */
    RUN_DETAIL("/io/taskdeck/app/runs/run-detail.fxml"),
    /** The content of the trigger dialog. */
    TRIGGER("/io/taskdeck/app/trigger/trigger.fxml");

    private final String resourcePath;

    FxmlFile(String resourcePath) {
        this.resourcePath = resourcePath;
    }

    public String resourcePath() {
        return resourcePath;
    }

    /**
     * The FXML's URL.
     *
     * @throws FxmlLoadException when the resource is not on the class path
     */
    public URL url() {
        URL url = FxmlFile.class.getResource(resourcePath);
        if (url == null) {
            throw new FxmlLoadException("View " + name() + ": " + resourcePath
                    + " is not on the class path (is taskdeck-ui-fxml up to date?)", null);
        }
        return url;
    }
}
