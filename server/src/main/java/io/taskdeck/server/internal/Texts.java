package io.taskdeck.server.internal;

/** Small text helpers for error messages. */
public final class Texts {
    private Texts() {
    }

    /** At most 100 characters, for the {@code got} of a field error. */
    public static String abbreviate(String s) {
        if (s == null) {
            return null;
        }
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }
}
