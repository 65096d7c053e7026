package io.taskdeck.examples;

import io.taskdeck.engine.BatchItem;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadProfileAndMixTest {

    @Test
    void aSpikeIsDueAtItsRatesPhaseByPhase() {
        LoadProfile p = LoadProfile.parse("100/s for 2s, 10000/s for 500ms, 100/s for 1s");
        assertThat(p.totalTriggers()).isEqualTo(200 + 5_000 + 100);
        assertThat(p.duration()).isEqualTo(Duration.ofMillis(3_500));
        assertThat(p.dueAt(0)).isZero();
        assertThat(p.dueAt(1_000)).isEqualTo(100);
        assertThat(p.dueAt(2_100)).isEqualTo(200 + 1_000);
        assertThat(p.dueAt(60_000)).isEqualTo(5_300);
        assertThat(p.elapsedWhenDue(101)).isEqualTo(1_010);
        assertThat(p.elapsedWhenDue(201)).isEqualTo(2_001);   // 10 per ms in the spike
        assertThat(p.elapsedWhenDue(5_301)).isEqualTo(-1);
        for (long n = 1; n <= p.totalTriggers(); n += 97) {
            long at = p.elapsedWhenDue(n);
            assertThat(p.dueAt(at)).isGreaterThanOrEqualTo(n);
            assertThat(p.dueAt(at - 1)).isLessThan(n);
        }
    }

    @Test
    void badProfilesSayWhatIsWrong() {
        assertThatThrownBy(() -> LoadProfile.parse("fast")).hasMessageContaining("\"fast\"").hasMessageContaining("RATE/s for DURATION");
        assertThatThrownBy(() -> LoadProfile.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> LoadProfile.steady(-1, Duration.ofSeconds(1))).hasMessageContaining("rate");
        assertThatThrownBy(() -> LoadProfile.steady(1, Duration.ZERO)).hasMessageContaining("last > 0");
    }

    @Test
    void theMixHoldsEachTaskExactlyItsWeightInEveryWindow() {
        TaskMix mix = TaskMix.parse("process-payment=3,noop,update-workspace=2");
        TaskMix.Cursor cursor = mix.cursor();
        for (int window = 0; window < 5; window++) {
            List<BatchItem> items = cursor.next(6);
            Map<String, Long> counts = items.stream().collect(java.util.stream.Collectors.groupingBy(BatchItem::taskId,
                    java.util.stream.Collectors.counting()));
            assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("process-payment", 3L, "noop", 1L, "update-workspace", 2L));
        }
        // workspace updates carry their workspace as the concurrency key
        BatchItem update = mix.cursor().next(6).stream().filter(i -> i.taskId().equals("update-workspace")).findFirst().orElseThrow();
        assertThat(update.options().concurrencyKey()).isEqualTo(((DemoPayloads.WorkspaceUpdate) update.payload()).workspaceId());
    }

    @Test
    void badMixesSayWhatIsWrong() {
        assertThatThrownBy(() -> TaskMix.parse("send-fax=1")).hasMessageContaining("send-fax").hasMessageContaining("process-payment");
        assertThatThrownBy(() -> TaskMix.parse("noop=x")).hasMessageContaining("noop").hasMessageContaining("\"x\"");
        assertThatThrownBy(() -> TaskMix.parse("noop=0")).hasMessageContaining("weight");
    }
}
