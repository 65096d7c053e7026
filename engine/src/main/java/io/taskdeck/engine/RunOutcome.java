package io.taskdeck.engine;

/**
 * How a child run ended, as {@code triggerAndWait} returns it.
 *
 * @param output the output JSON text, null unless COMPLETED
 */
public record RunOutcome(String runId, RunStatus status, String output, RunError error) {

    public boolean ok() {
        return status == RunStatus.COMPLETED;
    }
}
