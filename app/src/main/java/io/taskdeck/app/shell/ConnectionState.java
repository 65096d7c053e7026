package io.taskdeck.app.shell;

/** How the console stands with a connection, as the sidebar and the status bar show it. */
public enum ConnectionState {
    NOT_STARTED("muted"),
    CONNECTING("warning"),
    CONNECTED("success"),
    /** The live event stream dropped; retrying. */
    RECONNECTING("warning"),
    /** Unreachable, refused, or retrying for a while without success. */
    OFFLINE("danger");

    private final String tone;

    ConnectionState(String tone) {
        this.tone = tone;
    }

    /** Style class suffix of the state's colour: {@code state-<tone>}. */
    public String styleClass() {
        return "state-" + tone;
    }

    /** Resource key of the state's label in the strings bundle. */
    public String labelKey() {
        return "connection.state." + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
