package io.taskdeck.engine;

import java.util.List;

/** A batch trigger's outcome: one result per item, in item order. */
public record BatchResult(String batchId, List<TriggerResult> runs) {

    public BatchResult {
        runs = List.copyOf(runs);
    }
}
