package io.taskdeck.app.queues;

import io.taskdeck.client.QueueInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * A queue's recent samples, as polled, and the rates the drain forecast needs. The server gives
 * throughput (runs finished per second over the last minute) and the current counts; from a few
 * samples:
 * <ul>
 * <li>arrivals per second = throughput + growth of the backlog per second (what is not started
 *     stays in the backlog);</li>
 * <li>mean execution time = mean number running / throughput (Little's law on the executing runs).</li>
 * </ul>
 * Not thread-safe: the UI thread owns it.
 */
public final class QueueRates {

    /** Samples older than this (relative to the newest) are dropped. */
    public static final Duration WINDOW = Duration.ofSeconds(30);
    /** Throughput values kept for the sparkline. */
    public static final int HISTORY = 60;

    private record Sample(Instant at, long queued, int running, double throughput) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();
    private final Deque<Double> throughput = new ArrayDeque<>();

    /** Records one poll of the queue, taken at {@code at} (non-decreasing). */
    public void add(Instant at, QueueInfo q) {
        Objects.requireNonNull(at, "at");
        if (!samples.isEmpty() && at.isBefore(samples.peekLast().at())) {
            throw new IllegalArgumentException("samples must be added in time order: " + at + " is before "
                    + samples.peekLast().at());
        }
        samples.addLast(new Sample(at, q.queued(), q.running(), q.throughputPerSecond()));
        while (Duration.between(samples.peekFirst().at(), at).compareTo(WINDOW) > 0) {
            samples.removeFirst();
        }
        throughput.addLast(q.throughputPerSecond());
        while (throughput.size() > HISTORY) {
            throughput.removeFirst();
        }
    }

    /** Runs arriving per second over the window; the throughput alone from a single sample. */
    public double arrivalsPerSecond() {
        if (samples.isEmpty()) {
            return 0;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        double seconds = Duration.between(first.at(), last.at()).toMillis() / 1000.0;
        double growth = seconds <= 0 ? 0 : (last.queued() - first.queued()) / seconds;
        return Math.max(0, last.throughput() + growth);
    }

    /** Mean execution time of a run, or null when no run finished in the server's last minute. */
    public Duration meanExecution() {
        if (samples.isEmpty() || samples.peekLast().throughput() <= 0) {
            return null;
        }
        double meanRunning = samples.stream().mapToInt(Sample::running).average().orElse(0);
        return Duration.ofNanos(Math.round(meanRunning / samples.peekLast().throughput() * 1e9));
    }

    /** The throughput of the last {@link #HISTORY} polls, oldest first. */
    public List<Double> throughputHistory() {
        return List.copyOf(throughput);
    }
}
