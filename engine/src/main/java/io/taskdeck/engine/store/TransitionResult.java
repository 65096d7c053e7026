package io.taskdeck.engine.store;

import io.taskdeck.engine.Run;

/**
 * The outcome of one {@link Transition}: applied, or refused because its guard no longer held
 * ({@code run} is then the run as it is, or null when there is no such run).
 */
public record TransitionResult(boolean applied, Run run) {
}
