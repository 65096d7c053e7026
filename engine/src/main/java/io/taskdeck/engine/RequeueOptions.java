package io.taskdeck.engine;

/**
 * How to requeue a dead letter. Every field is optional.
 *
 * @param payload     an edited payload (JSON text), validated against the task's schema
 * @param queue       another queue to run in
 * @param maxAttempts the fresh attempt budget (default: the task's retry.maxAttempts)
 */
public record RequeueOptions(String payload, String queue, Integer maxAttempts) {

    public static final RequeueOptions NONE = new RequeueOptions(null, null, null);

    public RequeueOptions {
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (queue != null && queue.isBlank()) {
            throw new IllegalArgumentException("queue must not be blank");
        }
    }

    public static RequeueOptions withPayload(String payloadJson) {
        return new RequeueOptions(payloadJson, null, null);
    }

    public static RequeueOptions toQueue(String queue) {
        return new RequeueOptions(null, queue, null);
    }
}
