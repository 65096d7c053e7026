package io.taskdeck.client;

import java.util.List;
import java.util.Objects;

/**
 * Everything the run detail view shows.
 *
 * @param run           the run with payload and output
 * @param attempts      oldest first
 * @param logs          oldest first; at most the last 1000 entries
 * @param logsTruncated true when older log entries were left out
 * @param events        the run's journal entries, in seq order
 */
public record RunDetail(
        Run run,
        List<Attempt> attempts,
        List<LogEntry> logs,
        boolean logsTruncated,
        List<RunEvent> events,
        RelatedRuns related) {

    public RunDetail {
        Objects.requireNonNull(run, "run");
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        logs = logs == null ? List.of() : List.copyOf(logs);
        events = events == null ? List.of() : List.copyOf(events);
        related = related == null ? RelatedRuns.none() : related;
    }
}
