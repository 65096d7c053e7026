package io.taskdeck.app.runs;

import io.taskdeck.client.Run;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventType;
import java.util.Objects;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * One row of the runs table. The row object stays the same while its run changes, so a live
 * update redraws the row's cells without disturbing the table's selection or scroll position.
 */
public final class RunRow {

    private final String id;
    private final ReadOnlyObjectWrapper<Run> run;

    RunRow(Run run) {
        this.id = run.id();
        this.run = new ReadOnlyObjectWrapper<>(this, "run", run);
    }

    public String id() {
        return id;
    }

    public Run run() {
        return run.get();
    }

    public ReadOnlyObjectProperty<Run> runProperty() {
        return run.getReadOnlyProperty();
    }

    void replace(Run fresh) {
        if (!fresh.id().equals(id)) {
            throw new IllegalArgumentException("row " + id + " cannot show run " + fresh.id());
        }
        // An older snapshot (a page fetched before the events arrived) never overwrites a newer one.
        if (fresh.seq() >= run.get().seq()) {
            run.set(fresh);
        }
    }

    /** Applies what an event says about the run: its status, attempt and timestamps. */
    void apply(RunEvent event) {
        Run r = run.get();
        if (event.seq() <= r.seq()) {
            return;
        }
        int attempts = event.attempt() == null ? r.attemptCount() : Math.max(r.attemptCount(), event.attempt());
        var startedAt = r.startedAt() == null && event.type() == RunEventType.ATTEMPT_STARTED ? event.at() : r.startedAt();
        var finishedAt = event.status().isFinal() ? Objects.requireNonNullElse(r.finishedAt(), event.at())
                : null;
        run.set(new Run(r.id(), r.taskId(), event.status(), event.queue() != null ? event.queue() : r.queue(),
                r.concurrencyKey(), r.idempotencyKey(), r.tags(), r.metadata(), r.priority(), r.payload(), r.output(),
                r.error(),
                attempts, r.maxAttempts(), r.createdAt(), startedAt, finishedAt, r.delayUntil(), r.ttl(),
                r.parentId(), r.rootId(), event.seq()));
    }
}
