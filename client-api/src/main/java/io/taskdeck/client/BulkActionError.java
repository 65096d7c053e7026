package io.taskdeck.client;

/** Why a bulk action failed on one run. */
public record BulkActionError(String runId, String error, String message) {
}
