package io.taskdeck.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Serialized in lower case. */
public enum BulkActionState {
    @JsonProperty("running") RUNNING,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("aborted") ABORTED
}
