package io.taskdeck.app.deadletters;

import io.taskdeck.client.BulkActionKind;
import io.taskdeck.client.BulkActionRequest;
import io.taskdeck.client.RunFilter;
import java.util.List;
import java.util.Objects;

/**
 * The runs an action applies to: some runs picked in the table, or every unresolved run of a
 * dead-letter group ("select all matching"), including those not loaded on screen.
 */
public sealed interface RequeueTarget {

    /** How many runs the action would touch, as far as the console knows. */
    long count();

    /** The bulk action request for this target. */
    BulkActionRequest request(BulkActionKind kind);

    /** Picked runs, by id. */
    record Runs(List<String> ids) implements RequeueTarget {
        public Runs {
            ids = List.copyOf(ids);
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("no run selected");
            }
        }

        @Override
        public long count() {
            return ids.size();
        }

        @Override
        public BulkActionRequest request(BulkActionKind kind) {
            return BulkActionRequest.of(kind, ids);
        }
    }

    /** Every unresolved run of the group; {@code count} is the group's count when it was loaded. */
    record Group(String fingerprint, long count) implements RequeueTarget {
        public Group {
            Objects.requireNonNull(fingerprint, "fingerprint");
        }

        @Override
        public BulkActionRequest request(BulkActionKind kind) {
            return BulkActionRequest.of(kind, RunFilter.builder().fingerprint(fingerprint).build());
        }
    }
}
