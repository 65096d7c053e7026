package io.taskdeck.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How to requeue a dead-letter run.
 *
 * @param payload a replacement payload, or null to keep the run's payload
 * @param queue   another queue to put it on, or null to keep its queue
 */
public record RequeueOptions(JsonNode payload, String queue) {
    public RequeueOptions {
        payload = TaskdeckJson.absentIfNull(payload);
    }

    public static final RequeueOptions AS_IS = new RequeueOptions(null, null);
}
