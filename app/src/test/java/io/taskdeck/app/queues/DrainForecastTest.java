package io.taskdeck.app.queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskdeck.app.queues.DrainForecast.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrainForecastTest {

    @Test
    void aBacklogDrainsAtTheLimitsStartRateMinusArrivals() {
        // 10 slots, 2 s per run: 5 starts/s; 1 arrival/s: the 1,200 waiting shrink by 4/s → 300 s.
        DrainForecast f = DrainForecast.of(1_200, 1.0, Duration.ofSeconds(2), 10, false);

        assertThat(f.outcome()).isEqualTo(Outcome.DRAINS);
        assertThat(f.startsPerSecond()).isEqualTo(5.0);
        assertThat(f.timeToEmpty()).isEqualTo(Duration.ofSeconds(300));
        // Little's law: 1,200 waiting leaving at 5/s → a run arriving now waits 240 s.
        assertThat(f.predictedWait()).isEqualTo(Duration.ofSeconds(240));
        assertThat(f.describe(1_200)).isEqualTo("Backlog of 1,200 empties in about 5 m 00 s; a run arriving now"
                + " waits about 4 m 00 s (starts 5.0/s, arrivals 1.0/s).");
    }

    @Test
    void raisingTheLimitShortensTheDrainAndTheWait() {
        DrainForecast at10 = DrainForecast.of(1_000, 2.0, Duration.ofMillis(500), 10, false);
        DrainForecast at40 = DrainForecast.of(1_000, 2.0, Duration.ofMillis(500), 40, false);

        assertThat(at40.timeToEmpty()).isLessThan(at10.timeToEmpty());
        assertThat(at40.predictedWait()).isEqualTo(at10.predictedWait().dividedBy(4));
    }

    @Test
    void arrivalsAtLeastAsFastAsStartsMeanTheBacklogNeverEmpties() {
        DrainForecast f = DrainForecast.of(50, 5.0, Duration.ofSeconds(1), 5, false);

        assertThat(f.outcome()).isEqualTo(Outcome.GROWS);
        assertThat(f.timeToEmpty()).isNull();
        assertThat(f.predictedWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(f.describe(50)).startsWith("Backlog grows: arrivals (5.0/s) are at least what this limit starts (5.0/s)");
    }

    @Test
    void pausedOrALimitOfZeroStartsNothing() {
        assertThat(DrainForecast.of(10, 0, Duration.ofSeconds(1), 5, true).outcome()).isEqualTo(Outcome.STOPPED);
        DrainForecast zero = DrainForecast.of(10, 1, Duration.ofSeconds(1), 0, false);
        assertThat(zero.outcome()).isEqualTo(Outcome.STOPPED);
        assertThat(zero.predictedWait()).isNull();
        assertThat(zero.describe(10)).isEqualTo("Nothing starts at this setting: 10 waiting, 1.0/s arriving.");
    }

    @Test
    void anEmptyQueueWaitsForNothing() {
        DrainForecast f = DrainForecast.of(0, 3.0, Duration.ofSeconds(1), 10, false);
        assertThat(f.outcome()).isEqualTo(Outcome.EMPTY);
        assertThat(f.predictedWait()).isEqualTo(Duration.ZERO);
    }

    @Test
    void withoutAMeasuredExecutionTimeTheForecastSaysSo() {
        DrainForecast f = DrainForecast.of(10, 0, null, 4, false);
        assertThat(f.outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(f.describe(10)).contains("unknown");
    }

    @Test
    void unlimitedStartsEveryWaitingRunAtOnce() {
        DrainForecast f = DrainForecast.of(30, 1, Duration.ofSeconds(1), null, false);
        assertThat(f.outcome()).isEqualTo(Outcome.DRAINS);
        assertThat(f.timeToEmpty()).isEqualTo(Duration.ZERO);
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertThatThrownBy(() -> DrainForecast.of(-1, 0, null, 1, false)).hasMessageContaining("backlog");
        assertThatThrownBy(() -> DrainForecast.of(1, Double.NaN, null, 1, false)).hasMessageContaining("arrivalsPerSecond");
        assertThatThrownBy(() -> DrainForecast.of(1, 0, null, -2, false)).hasMessageContaining("limit");
        assertThatThrownBy(() -> DrainForecast.of(1, 0, Duration.ofSeconds(-1), 1, false)).hasMessageContaining("meanExecution");
    }

    @Test
    void durationsReadAsAPersonWouldSayThem() {
        assertThat(DrainForecast.human(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(DrainForecast.human(Duration.ofSeconds(12))).isEqualTo("12 s");
        assertThat(DrainForecast.human(Duration.ofSeconds(245))).isEqualTo("4 m 05 s");
        assertThat(DrainForecast.human(Duration.ofMinutes(200))).isEqualTo("3 h 20 m");
        assertThat(DrainForecast.human(Duration.ofHours(52))).isEqualTo("2 d 4 h");
        assertThat(DrainForecast.human(null)).isEqualTo("—");
    }
}
