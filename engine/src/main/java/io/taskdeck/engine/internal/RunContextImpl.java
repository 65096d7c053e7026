package io.taskdeck.engine.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.engine.BatchItem;
import io.taskdeck.engine.BatchResult;
import io.taskdeck.engine.EngineClock;
import io.taskdeck.engine.LogLine;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunCancelledException;
import io.taskdeck.engine.RunMetadata;
import io.taskdeck.engine.RunOutcome;
import io.taskdeck.engine.TaskContext;
import io.taskdeck.engine.TaskLogger;
import io.taskdeck.engine.TriggerOptions;
import io.taskdeck.engine.TriggerResult;

import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The context a handler gets. */
final class RunContextImpl implements TaskContext, TaskLogger, RunMetadata {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final Execution execution;
    private final Worker worker;
    private final ObjectMapper mapper;
    private Map<String, Object> metadata;
    private boolean metadataDirty;

    RunContextImpl(Execution execution, Worker worker, ObjectMapper mapper) {
        this.execution = execution;
        this.worker = worker;
        this.mapper = mapper;
    }

    @Override public String runId() { return execution.run.id(); }
    @Override public String taskId() { return execution.run.taskId(); }
    @Override public int attempt() { return execution.run.attempts(); }
    @Override public Run run() { return execution.run; }
    @Override public TaskLogger logger() { return this; }
    @Override public RunMetadata metadata() { return this; }

    @Override
    public void log(LogLine.Level level, String message) {
        execution.log(new LogLine(runId(), attempt(), worker.clock().now(), level, message));
    }

    @Override
    public TriggerResult trigger(String taskId, Object payload, TriggerOptions options) {
        return worker.triggers().trigger(taskId, payload, options, execution.run);
    }

    @Override
    public BatchResult batchTrigger(List<BatchItem> items) {
        return worker.triggers().batchTrigger(items, execution.run);
    }

    @Override
    public RunOutcome triggerAndWait(String taskId, Object payload, TriggerOptions options) throws InterruptedException {
        TriggerResult child = trigger(taskId, payload, options);
        return worker.waitForChild(execution, this, child.runId());
    }

    @Override
    public void sleep(java.time.Duration duration) throws InterruptedException {
        java.util.Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("sleep needs a duration of zero or more, not " + duration);
        }
        throwIfCancelled();
        EngineClock clock = worker.clock();
        try {
            clock.sleepUntil(clock.millis() + duration.toMillis());
        } catch (InterruptedException e) {
            if (execution.cancelled) {
                throw new RunCancelledException(runId());
            }
            throw e;
        }
        throwIfCancelled();
    }

    @Override
    public boolean isCancelled() {
        return execution.cancelled;
    }

    // ---- metadata

    private synchronized Map<String, Object> map() {
        if (metadata == null) {
            String json = execution.run.metadata();
            try {
                metadata = json == null ? new LinkedHashMap<>() : mapper.readValue(json, MAP);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return metadata;
    }

    @Override
    public synchronized Object get(String key) {
        return map().get(key);
    }

    @Override
    public synchronized RunMetadata set(String key, Object value) {
        map().put(key, value);
        metadataDirty = true;
        return this;
    }

    @Override
    public synchronized RunMetadata remove(String key) {
        metadataDirty |= map().remove(key) != null;
        return this;
    }

    @Override
    public synchronized Map<String, Object> asMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map()));
    }

    @Override
    public void flush() {
        String json = takeMetadataJson();
        worker.flushNow(execution, json);
    }

    /** The metadata as JSON if it changed since the last save, else null; clears the flag. */
    synchronized String takeMetadataJson() {
        if (!metadataDirty) {
            return null;
        }
        metadataDirty = false;
        try {
            return mapper.writeValueAsString(metadata);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("run metadata is not JSON-serializable: " + e.getOriginalMessage(), e);
        }
    }
}
