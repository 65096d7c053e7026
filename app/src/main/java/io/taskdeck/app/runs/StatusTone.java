package io.taskdeck.app.runs;

import io.taskdeck.client.RunStatus;
import java.util.Locale;

/** The named colour of a run status: success, danger, warning, accent or muted. */
public enum StatusTone {
    SUCCESS, DANGER, WARNING, ACCENT, MUTED;

    public static StatusTone of(RunStatus status) {
        return switch (status) {
            case COMPLETED -> SUCCESS;
            case FAILED, CRASHED, TIMED_OUT, SYSTEM_FAILURE -> DANGER;
            case WAITING, DELAYED, EXPIRED -> WARNING;
            case EXECUTING -> ACCENT;
            case QUEUED, CANCELED -> MUTED;
        };
    }

    /** Style class of a status badge in this tone. */
    public String styleClass() {
        return "tone-" + name().toLowerCase(Locale.ROOT);
    }

    /** {@code TIMED_OUT} as "Timed out". */
    public static String label(RunStatus status) {
        String s = status.name().replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
