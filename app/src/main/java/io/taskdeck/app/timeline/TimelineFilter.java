package io.taskdeck.app.timeline;

import io.taskdeck.client.RunStatus;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which runs the timeline draws (task, queue, status, tag: exact, blank for any) and which it
 * highlights (search: part of the run id, task, concurrency key or a tag, any case).
 */
public record TimelineFilter(String task, String queue, Set<RunStatus> statuses, String tag, String search) {

    public static final TimelineFilter NONE = new TimelineFilter(null, null, Set.of(), null, null);

    public TimelineFilter {
        task = blankToNull(task);
        queue = blankToNull(queue);
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        tag = blankToNull(tag);
        search = blankToNull(search);
        search = search == null ? null : search.toLowerCase(Locale.ROOT);
    }

    /** True when the run is drawn. */
    public boolean shows(TimelineRun run) {
        return (task == null || task.equals(run.taskId()))
                && (queue == null || queue.equals(run.queue()))
                && (statuses.isEmpty() || statuses.contains(run.status()))
                && (tag == null || run.tags().contains(tag));
    }

    /** True when the lane is drawn at all. */
    public boolean showsLane(Lane lane) {
        return queue == null || queue.equals(lane.queue());
    }

    public boolean searching() {
        return search != null;
    }

    /** True when searching and the run matches. */
    public boolean highlights(TimelineRun run) {
        if (search == null) {
            return false;
        }
        if (contains(run.id()) || contains(run.taskId()) || contains(run.concurrencyKey())) {
            return true;
        }
        for (String t : run.tags()) {
            if (contains(t)) {
                return true;
            }
        }
        return false;
    }

    private boolean contains(String s) {
        return s != null && s.toLowerCase(Locale.ROOT).contains(search);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
