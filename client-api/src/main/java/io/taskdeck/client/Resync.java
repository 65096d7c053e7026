package io.taskdeck.client;

/**
 * The events after {@code requestedAfter} are no longer retained: the subscriber missed events and
 * should reload what it shows (runs, queues, stats). The stream goes on with the events after
 * {@code resumedAfter}.
 *
 * @param requestedAfter  the seq the subscription asked to resume after
 * @param oldestAvailable the oldest seq still retained
 * @param resumedAfter    the stream continues with seq {@code resumedAfter + 1}
 */
public record Resync(long requestedAfter, long oldestAvailable, long resumedAfter) {
}
