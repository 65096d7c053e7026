package io.taskdeck.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an API key may do. Serialized in lower case ({@code "operator"}). */
public enum Role {
    /** Read only. */
    @JsonProperty("viewer") VIEWER,
    /** Also trigger, cancel, replay, requeue, discard, reschedule, pause and tune queues, bulk actions. */
    @JsonProperty("operator") OPERATOR,
    /** Everything. */
    @JsonProperty("admin") ADMIN;

    /** True when this role may change runs and queues. */
    public boolean canOperate() {
        return this != VIEWER;
    }
}
