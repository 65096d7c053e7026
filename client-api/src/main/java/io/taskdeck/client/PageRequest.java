package io.taskdeck.client;

/**
 * Which page of a listing to return.
 *
 * @param cursor a {@link Page#nextCursor()} from the previous page, or null for the first page
 * @param size   1 to {@value #MAX_SIZE} items
 */
public record PageRequest(String cursor, int size) {
    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    public PageRequest {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("page size must be between 1 and " + MAX_SIZE + ", got " + size);
        }
    }

    public static PageRequest first(int size) {
        return new PageRequest(null, size);
    }

    public static PageRequest first() {
        return first(DEFAULT_SIZE);
    }

    /** The page after the one that returned {@code cursor}. */
    public PageRequest after(String cursor) {
        return new PageRequest(cursor, size);
    }
}
