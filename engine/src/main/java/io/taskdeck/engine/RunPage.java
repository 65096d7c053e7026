package io.taskdeck.engine;

import java.util.List;

/** One page of runs; {@code nextCursor} is null on the last page. */
public record RunPage(List<Run> runs, String nextCursor) {

    public RunPage {
        runs = List.copyOf(runs);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }
}
