package io.taskdeck.app.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.errors.ServerErrors;
import io.taskdeck.app.runs.RunDetailViewModel;
import io.taskdeck.client.Page;
import io.taskdeck.client.PageRequest;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunFilter;
import io.taskdeck.client.TaskInfo;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.client.TriggerResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The trigger dialog without a screen: the task, its payload (checked against the task's schema
 * as it is typed) and every trigger option, checked before anything is sent.
 */
public final class TriggerViewModel {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<TaskServer> server;
    private final UiTasks tasks;
    private final ObservableList<TaskInfo> taskList = FXCollections.observableArrayList();
    private final ObjectProperty<TaskInfo> task = new SimpleObjectProperty<>(this, "task");
    private final StringProperty payload = new SimpleStringProperty(this, "payload", "{}");
    private final ReadOnlyStringWrapper payloadProblem = new ReadOnlyStringWrapper(this, "payloadProblem");
    private final ReadOnlyIntegerWrapper payloadProblemOffset = new ReadOnlyIntegerWrapper(this, "payloadProblemOffset", -1);
    private final ReadOnlyStringWrapper optionsProblem = new ReadOnlyStringWrapper(this, "optionsProblem");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");
    private final ReadOnlyObjectWrapper<TriggerResult> result = new ReadOnlyObjectWrapper<>(this, "result");

    final StringProperty idempotencyKey = new SimpleStringProperty(this, "idempotencyKey", "");
    final StringProperty idempotencyKeyTtl = new SimpleStringProperty(this, "idempotencyKeyTtl", "");
    final StringProperty concurrencyKey = new SimpleStringProperty(this, "concurrencyKey", "");
    final StringProperty delay = new SimpleStringProperty(this, "delay", "");
    final StringProperty ttl = new SimpleStringProperty(this, "ttl", "");
    final StringProperty tags = new SimpleStringProperty(this, "tags", "");
    final StringProperty metadata = new SimpleStringProperty(this, "metadata", "");
    final StringProperty priority = new SimpleStringProperty(this, "priority", "");
    final StringProperty maxAttempts = new SimpleStringProperty(this, "maxAttempts", "");
    final StringProperty queue = new SimpleStringProperty(this, "queue", "");

    private final BooleanBinding canTrigger;
    private long prefillGeneration;

    public TriggerViewModel(Supplier<TaskServer> server, UiTasks tasks) {
        this.server = Objects.requireNonNull(server, "server");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        payload.addListener(o -> checkPayload());
        task.addListener((obs, old, now) -> {
            checkPayload();
            prefill(now);
        });
        for (StringProperty p : List.of(idempotencyKey, idempotencyKeyTtl, concurrencyKey, delay, ttl, tags, metadata,
                priority, maxAttempts, queue)) {
            p.addListener(o -> checkOptions());
        }
        canTrigger = Bindings.createBooleanBinding(
                () -> task.get() != null && payloadProblem.get() == null && optionsProblem.get() == null,
                task, payloadProblem, optionsProblem);
    }

    // --- properties ---------------------------------------------------------------------------

    public ObservableList<TaskInfo> tasks() {
        return taskList;
    }

    public ObjectProperty<TaskInfo> taskProperty() {
        return task;
    }

    public StringProperty payloadProperty() {
        return payload;
    }

    /** What is wrong with the payload (syntax with line and column, or a schema field), or null. */
    public ReadOnlyStringProperty payloadProblemProperty() {
        return payloadProblem.getReadOnlyProperty();
    }

    /** Where in the payload text a syntax error is, or -1. */
    public ReadOnlyIntegerProperty payloadProblemOffsetProperty() {
        return payloadProblemOffset.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty optionsProblemProperty() {
        return optionsProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The run the last trigger made (or returned, when its idempotency key was known). */
    public ReadOnlyObjectProperty<TriggerResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public BooleanBinding canTriggerProperty() {
        return canTrigger;
    }

    public StringProperty idempotencyKeyProperty() { return idempotencyKey; }
    public StringProperty idempotencyKeyTtlProperty() { return idempotencyKeyTtl; }
    public StringProperty concurrencyKeyProperty() { return concurrencyKey; }
    public StringProperty delayProperty() { return delay; }
    public StringProperty ttlProperty() { return ttl; }
    public StringProperty tagsProperty() { return tags; }
    public StringProperty metadataProperty() { return metadata; }
    public StringProperty priorityProperty() { return priority; }
    public StringProperty maxAttemptsProperty() { return maxAttempts; }
    public StringProperty queueProperty() { return queue; }

    // --- behaviour ----------------------------------------------------------------------------

    /** Loads the task list and selects {@code preselect} (a task id; null for the first task). */
    public void loadTasks(String preselect) {
        tasks.supply(() -> server.get().listTasks())
                .onSuccess(list -> {
                    taskList.setAll(list);
                    TaskInfo pick = list.stream().filter(t -> t.id().equals(preselect)).findFirst()
                            .orElse(list.isEmpty() ? null : list.get(0));
                    task.set(pick);
                    if (list.isEmpty()) {
                        message.set("This server has no tasks registered.");
                    }
                })
                .onError(e -> message.set(ServerErrors.describe(e)))
                .start();
    }

    /** Fills the payload with the task's last payload, or a sample made from its schema. */
    private void prefill(TaskInfo t) {
        long gen = ++prefillGeneration;
        if (t == null) {
            return;
        }
        tasks.supply(() -> {
            Page<Run> last = server.get().listRuns(RunFilter.builder().taskId(t.id()).build(), PageRequest.first(1));
            if (!last.data().isEmpty()) {
                JsonNode lastPayload = server.get().getRun(last.data().get(0).id()).run().payload();
                if (lastPayload != null) {
                    return lastPayload;
                }
            }
            return SchemaSample.of(t.payloadSchema());
        }).onSuccess(p -> {
            if (gen == prefillGeneration) {
                payload.set(RunDetailViewModel.pretty(p));
            }
        }).onError(e -> {
            if (gen == prefillGeneration) {
                payload.set(RunDetailViewModel.pretty(SchemaSample.of(t.payloadSchema())));
            }
        }).start();
    }

    private void checkPayload() {
        TaskInfo t = task.get();
        PayloadCheck check = PayloadCheck.of(payload.get(), t == null ? null : t.payloadSchema());
        payloadProblem.set(check.valid() ? null : String.join("\n", check.problems()));
        payloadProblemOffset.set(check.offset());
    }

    private void checkOptions() {
        try {
            buildOptions();
            optionsProblem.set(null);
        } catch (IllegalArgumentException e) {
            optionsProblem.set(e.getMessage());
        }
    }

    /**
     * The options from the fields.
     *
     * @throws IllegalArgumentException naming the field and what is wrong
     */
    public TriggerOptions buildOptions() {
        TriggerOptions.Builder b = TriggerOptions.builder();
        if (!idempotencyKey.get().isBlank()) {
            b.idempotencyKey(idempotencyKey.get().strip(), Durations.parse("Idempotency key TTL", idempotencyKeyTtl.get()));
        } else if (!idempotencyKeyTtl.get().isBlank()) {
            throw new IllegalArgumentException("Idempotency key TTL needs an idempotency key");
        }
        if (!concurrencyKey.get().isBlank()) {
            b.concurrencyKey(concurrencyKey.get().strip());
        }
        b.delay(Durations.parse("Delay", delay.get()));
        b.ttl(Durations.parse("TTL", ttl.get()));
        List<String> tagList = new ArrayList<>(Arrays.stream(tags.get().split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList());
        if (tagList.size() > TriggerOptions.MAX_TAGS) {
            throw new IllegalArgumentException("Tags: at most " + TriggerOptions.MAX_TAGS + ", got " + tagList.size());
        }
        for (String tag : tagList) {
            if (tag.length() >= TriggerOptions.MAX_TAG_LENGTH) {
                throw new IllegalArgumentException("Tags: '" + tag.substring(0, 20) + "…' is longer than "
                        + (TriggerOptions.MAX_TAG_LENGTH - 1) + " characters");
            }
        }
        b.tags(tagList.toArray(String[]::new));
        if (!metadata.get().isBlank()) {
            JsonNode node;
            try {
                node = JSON.readTree(metadata.get());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("Metadata is not JSON: " + e.getOriginalMessage());
            }
            if (!node.isObject()) {
                throw new IllegalArgumentException("Metadata must be a JSON object, like {\"by\": \"me\"}");
            }
            b.metadata(node);
        }
        if (!priority.get().isBlank()) {
            b.priority(integer("Priority", priority.get(), 0));
        }
        if (!maxAttempts.get().isBlank()) {
            b.maxAttempts(integer("Max attempts", maxAttempts.get(), 1));
        }
        if (!queue.get().isBlank()) {
            b.queue(queue.get().strip());
        }
        return b.build();
    }

    private static int integer(String field, String text, int min) {
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + text.strip() + "' is not a whole number");
        }
        if (value < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    /** Sends the trigger; completes with the result, also shown in {@link #resultProperty()}. */
    public CompletableFuture<TriggerResult> trigger() {
        TaskInfo t = task.get();
        PayloadCheck check = PayloadCheck.of(payload.get(), t == null ? null : t.payloadSchema());
        if (t == null || !check.valid()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Pick a task and fix the payload first"));
        }
        TriggerOptions options = buildOptions();
        message.set("Triggering " + t.id() + "…");
        return tasks.supply(() -> server.get().trigger(t.id(), check.payload(), options))
                .onSuccess(r -> {
                    result.set(r);
                    message.set(r.cached() ? "Returned the existing run " + r.id() + " (same idempotency key)."
                            : "Triggered " + r.id() + ".");
                })
                .onError(e -> message.set(ServerErrors.describe(e)))
                .start();
    }
}
