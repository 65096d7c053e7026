package io.taskdeck.engine.internal;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler wakes at the first millisecond at which a due instant has come, not the one before. */
class WorkerDueTimeTest {

    @Test
    void aDueInstantInsideAMillisecondIsRoundedUpAndOneOnAMillisecondKept() {
        assertThat(Worker.dueMillis(Instant.ofEpochMilli(1_000))).isEqualTo(1_000);
        assertThat(Worker.dueMillis(Instant.ofEpochMilli(1_000).plusNanos(1))).isEqualTo(1_001);
        assertThat(Worker.dueMillis(Instant.ofEpochMilli(1_000).plusNanos(999_999))).isEqualTo(1_001);
        assertThat(Worker.dueMillis(Instant.ofEpochMilli(-1).plusNanos(500_000))).isEqualTo(0);
    }
}
