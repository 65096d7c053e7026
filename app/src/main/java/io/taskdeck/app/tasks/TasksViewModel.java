package io.taskdeck.app.tasks;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.errors.ServerErrors;
import io.taskdeck.client.RetryPolicy;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.TaskInfo;
import io.taskdeck.client.TaskServer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The tasks view without a screen: the task definitions of a connection with their run counts. */
public final class TasksViewModel {

    private final Supplier<TaskServer> server;
    private final UiTasks tasks;
    private final ObservableList<TaskInfo> taskList = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message");

    public TasksViewModel(Supplier<TaskServer> server, UiTasks tasks) {
        this.server = Objects.requireNonNull(server, "server");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
    }

    public ObservableList<TaskInfo> tasks() {
        return taskList;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public void reload() {
        tasks.supply(() -> server.get().listTasks())
                .onSuccess(list -> {
                    taskList.setAll(list);
                    message.set(list.isEmpty() ? "No tasks registered on this server." : null);
                })
                .onError(e -> message.set(ServerErrors.describe(e)))
                .start();
    }

    /** "3 attempts · ×2 · 1 s – 1 m" (with "· jitter" when randomized). */
    public static String retry(RetryPolicy p) {
        if (p == null) {
            return "";
        }
        if (p.maxAttempts() <= 1) {
            return "no retries";
        }
        String factor = p.factor() == Math.rint(p.factor()) ? String.valueOf((long) p.factor())
                : String.format(Locale.ROOT, "%.1f", p.factor());
        return p.maxAttempts() + " attempts · ×" + factor + " · " + millis(p.minTimeoutInMs()) + " – "
                + millis(p.maxTimeoutInMs()) + (p.randomize() ? " · jitter" : "");
    }

    static String millis(long ms) {
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + " m";
        }
        return ms % 1_000 == 0 ? ms / 1_000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    public static String limits(TaskInfo t) {
        return (t.concurrencyLimit() == null ? "unlimited" : String.valueOf(t.concurrencyLimit()))
                + " · per key " + t.concurrencyKeyLimit();
    }

    public static String maxDuration(Duration d) {
        return d == null ? "none" : millis(d.toMillis());
    }

    /** "12 completed · 2 failed · 3 running" from the counts; the statuses that matter first. */
    public static String counts(Map<RunStatus, Long> counts) {
        long running = counts.getOrDefault(RunStatus.EXECUTING, 0L) + counts.getOrDefault(RunStatus.WAITING, 0L);
        long queued = counts.getOrDefault(RunStatus.QUEUED, 0L) + counts.getOrDefault(RunStatus.DELAYED, 0L);
        long failed = counts.entrySet().stream().filter(e -> e.getKey().isFailure()).mapToLong(Map.Entry::getValue).sum();
        long completed = counts.getOrDefault(RunStatus.COMPLETED, 0L);
        StringBuilder b = new StringBuilder();
        append(b, completed, "completed");
        append(b, failed, "failed");
        append(b, running, "running");
        append(b, queued, "queued");
        return b.isEmpty() ? "no runs" : b.toString();
    }

    private static void append(StringBuilder b, long n, String what) {
        if (n > 0) {
            if (!b.isEmpty()) {
                b.append(" · ");
            }
            b.append(n).append(' ').append(what);
        }
    }
}
