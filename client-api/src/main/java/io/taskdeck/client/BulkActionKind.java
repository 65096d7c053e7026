package io.taskdeck.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a bulk action does to each selected run. Serialized in lower case. */
public enum BulkActionKind {
    /** {@link TaskServer#requeue} each dead-letter run. */
    @JsonProperty("requeue") REQUEUE,
    /** {@link TaskServer#replay} each run. */
    @JsonProperty("replay") REPLAY,
    /** {@link TaskServer#cancel} each run. */
    @JsonProperty("cancel") CANCEL,
    /** {@link TaskServer#discard} each dead-letter run. */
    @JsonProperty("discard") DISCARD
}
