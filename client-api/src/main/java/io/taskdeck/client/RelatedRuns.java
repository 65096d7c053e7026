package io.taskdeck.client;

import java.util.List;

/**
 * Runs related to one run through triggering. Payload and output of these runs are null.
 *
 * @param parent   the run that triggered it, or null
 * @param root     the root of its trigger tree, or null when it is the root
 * @param children runs it triggered, oldest first
 */
public record RelatedRuns(Run parent, Run root, List<Run> children) {
    public RelatedRuns {
        children = children == null ? List.of() : List.copyOf(children);
    }

    public static RelatedRuns none() {
        return new RelatedRuns(null, null, List.of());
    }
}
