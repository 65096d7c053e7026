package io.taskdeck.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A bulk action and its progress.
 *
 * @param total      runs selected
 * @param done       runs processed so far ({@code succeeded + failed})
 * @param errors     per-run failures, at most the first 100
 * @param finishedAt null while RUNNING
 */
public record BulkAction(
        String id,
        BulkActionKind kind,
        BulkActionState state,
        long total,
        long done,
        long succeeded,
        long failed,
        List<BulkActionError> errors,
        Instant createdAt,
        Instant finishedAt) {

    public BulkAction {
        Objects.requireNonNull(id, "id");
        errors = errors == null ? List.of() : List.copyOf(errors);
    }
}
