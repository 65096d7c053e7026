package io.taskdeck.engine;

import java.util.List;

/** Everything about one run: the run, its attempts, logs, journal events and related runs. */
public record RunDetail(
        Run run,
        List<Attempt> attempts,
        List<LogLine> logs,
        List<JournalEvent> events,
        Run parent,
        List<Run> children) {

    public RunDetail {
        attempts = List.copyOf(attempts);
        logs = List.copyOf(logs);
        events = List.copyOf(events);
        children = List.copyOf(children);
    }
}
