package io.taskdeck.app.queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskdeck.client.QueueInfo;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueueRatesTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static QueueInfo q(int running, long queued, double throughput) {
        return new QueueInfo("q", 10, 10, null, running, queued, 0, false, throughput, null, null);
    }

    @Test
    void arrivalsAreThroughputPlusBacklogGrowth() {
        QueueRates r = new QueueRates();
        r.add(T0, q(10, 100, 5.0));
        r.add(T0.plusSeconds(10), q(10, 130, 5.0));

        // 5/s leave the backlog and it still grows by 3/s: 8/s arrive.
        assertThat(r.arrivalsPerSecond()).isEqualTo(8.0);
    }

    @Test
    void aShrinkingBacklogMeansFewerArrivalsThanStarts() {
        QueueRates r = new QueueRates();
        r.add(T0, q(10, 100, 5.0));
        r.add(T0.plusSeconds(10), q(10, 80, 5.0));
        assertThat(r.arrivalsPerSecond()).isEqualTo(3.0);
    }

    @Test
    void meanExecutionFollowsLittlesLaw() {
        QueueRates r = new QueueRates();
        r.add(T0, q(8, 0, 4.0));
        r.add(T0.plusSeconds(1), q(12, 0, 4.0));
        // 10 running on average, 4 finishing per second: each runs 2.5 s.
        assertThat(r.meanExecution()).isEqualTo(Duration.ofMillis(2_500));
    }

    @Test
    void noFinishedRunMeansNoExecutionTime() {
        QueueRates r = new QueueRates();
        r.add(T0, q(3, 10, 0));
        assertThat(r.meanExecution()).isNull();
    }

    @Test
    void oldSamplesLeaveTheWindowAndTheSparklineKeepsTheLastSixty() {
        QueueRates r = new QueueRates();
        for (int i = 0; i < 100; i++) {
            r.add(T0.plusSeconds(i), q(1, i < 50 ? 1_000 : 0, i));
        }
        // Only the last 30 s count: the backlog was flat (0) there.
        assertThat(r.arrivalsPerSecond()).isEqualTo(99.0);
        assertThat(r.throughputHistory()).hasSize(QueueRates.HISTORY).startsWith(40.0).endsWith(99.0);
    }

    @Test
    void samplesMustComeInTimeOrder() {
        QueueRates r = new QueueRates();
        r.add(T0.plusSeconds(5), q(1, 1, 1));
        assertThatThrownBy(() -> r.add(T0, q(1, 1, 1))).hasMessageContaining("time order");
    }
}
