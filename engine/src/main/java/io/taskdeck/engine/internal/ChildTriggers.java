package io.taskdeck.engine.internal;

import io.taskdeck.engine.BatchItem;
import io.taskdeck.engine.BatchResult;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.TriggerOptions;
import io.taskdeck.engine.TriggerResult;

import java.util.List;

/** How a running handler triggers child runs: through the engine's one trigger path. */
public interface ChildTriggers {

    TriggerResult trigger(String taskId, Object payload, TriggerOptions options, Run parent);

    BatchResult batchTrigger(List<BatchItem> items, Run parent);
}
