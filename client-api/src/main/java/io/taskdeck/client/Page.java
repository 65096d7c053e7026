package io.taskdeck.client;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param data       the items, in the listing's order
 * @param nextCursor pass to {@link PageRequest#after} for the next page; null on the last page
 */
public record Page<T>(List<T> data, String nextCursor) {
    public Page {
        data = data == null ? List.of() : List.copyOf(data);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }
}
