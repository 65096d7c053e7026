package io.taskdeck.engine.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunIdsTest {

    @Test
    void idsArePrefixedLowercaseBase32AndStrictlyIncreaseEvenWhenTheClockStepsBack() {
        RunIds ids = new RunIds();
        List<String> made = new ArrayList<>();
        long[] millis = {1_700_000_000_000L, 1_700_000_000_000L, 1_700_000_000_001L, 1_699_999_999_000L, 1_700_000_000_002L};
        for (long m : millis) {
            made.add(ids.next("run_", m));
        }
        for (String id : made) {
            assertThat(id).matches("run_[0-9a-hjkmnp-tv-z]{26}");
        }
        assertThat(made).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void theTimePartSortsByMillisecondAcrossGenerators() {
        String earlier = new RunIds().next("batch_", 1_000L);
        String later = new RunIds().next("batch_", 2_000L);
        assertThat(earlier.substring(0, 16)).isLessThan(later.substring(0, 16));
        assertThat(earlier).startsWith("batch_").hasSize(6 + 26);
    }

    @Test
    void aNonAsciiPrefixIsRefused() {
        assertThatThrownBy(() -> new RunIds().next("rün_", 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rün_");
    }
}
