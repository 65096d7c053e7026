package io.taskdeck.examples;

import io.taskdeck.engine.BatchItem;
import io.taskdeck.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadGeneratorTest {

    /** A sink that records batches and lets the test wait for a total, without sleeping. */
    static final class RecordingSink implements LoadGenerator.Sink {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        final List<List<BatchItem>> batches = new ArrayList<>();
        long total;
        int failNext;

        @Override
        public void trigger(List<BatchItem> items) {
            lock.lock();
            try {
                if (failNext > 0) {
                    failNext--;
                    throw new IllegalStateException("server said 503");
                }
                batches.add(items);
                total += items.size();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        long awaitTotal(long n) throws InterruptedException {
            long deadline = System.nanoTime() + DemoEngine.FAIL_AFTER.toNanos();
            lock.lock();
            try {
                while (total < n && System.nanoTime() < deadline) {
                    changed.awaitNanos(deadline - System.nanoTime());
                }
                return total;
            } finally {
                lock.unlock();
            }
        }
    }

    @Test
    void sendsExactlyWhatIsDueAtEachTickOfTheClock() throws Exception {
        ManualClock clock = new ManualClock();
        RecordingSink sink = new RecordingSink();
        LoadGenerator.LoadRun run = LoadGenerator.builder().sink(sink).clock(clock)
                .mix(TaskMix.single(DemoTasks.NOOP, seq -> Map.of("seq", seq)))
                .profile(LoadProfile.steady(1_000, Duration.ofSeconds(3)))
                .build().start();
        for (int second = 1; second <= 3; second++) {
            clock.advance(Duration.ofSeconds(1));
            // exactly what is due: one more would be an overshoot, since the clock has not moved on
            assertThat(sink.awaitTotal(second * 1_000L)).isEqualTo(second * 1_000L);
        }
        LoadGenerator.LoadReport report = run.await(DemoEngine.FAIL_AFTER);
        assertThat(report.triggered()).isEqualTo(3_000);
        assertThat(run.progress()).isEqualTo(new LoadGenerator.Progress(3_000, 0, 3_000, 3_000));
        assertThat(report.elapsed()).isEqualTo(Duration.ofSeconds(3));
        assertThat(report.achievedRate()).isEqualTo(1_000.0);
        assertThat(sink.batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(500));
        assertThat(sink.batches.stream().flatMap(List::stream).map(i -> (Object) ((Map<?, ?>) i.payload()).get("seq")).toList())
                .as("every sequence number once, in order").containsExactlyElementsOf(
                        java.util.stream.LongStream.range(0, 3_000).<Object>mapToObj(n -> n).toList());
    }

    @Test
    void refusedBatchesAreCountedAndTheRunGoesOn() throws Exception {
        ManualClock clock = new ManualClock();
        RecordingSink sink = new RecordingSink();
        sink.failNext = 1;
        LoadGenerator generator = LoadGenerator.builder().sink(sink).clock(clock).maxBatchSize(100)
                .mix(TaskMix.single(DemoTasks.NOOP, seq -> Map.of()))
                .profile(LoadProfile.steady(300, Duration.ofSeconds(1))).build();
        LoadGenerator.LoadRun run = generator.start();
        clock.advance(Duration.ofSeconds(1));
        LoadGenerator.LoadReport report = run.await(DemoEngine.FAIL_AFTER);
        assertThat(report.triggered()).isEqualTo(200);
        assertThat(report.failed()).isEqualTo(100);
        assertThat(report.lastError()).isEqualTo("server said 503");
        assertThat(report.batches()).isEqualTo(3);
    }

    @Test
    void stopEndsARunEarlyWithWhatItSent() throws Exception {
        ManualClock clock = new ManualClock();
        RecordingSink sink = new RecordingSink();
        LoadGenerator.LoadRun run = LoadGenerator.builder().sink(sink).clock(clock)
                .mix(TaskMix.single(DemoTasks.NOOP, seq -> Map.of()))
                .profile(LoadProfile.steady(100, Duration.ofMinutes(1))).build().start();
        clock.advance(Duration.ofSeconds(2));
        assertThat(sink.awaitTotal(200)).isEqualTo(200);
        run.stop();
        LoadGenerator.LoadReport report = run.await(DemoEngine.FAIL_AFTER);
        assertThat(report.stopped()).isTrue();
        assertThat(report.triggered()).isEqualTo(200);
        assertThat(report.planned()).isEqualTo(6_000);
    }

    @Test
    void aDemoMixRunsThroughAnEngine() throws Exception {
        try (DemoEngine d = new DemoEngine()) {
            LoadGenerator.LoadRun run = LoadGenerator.builder().engine(d.engine).mix(TaskMix.demo())
                    .profile(LoadProfile.steady(160, Duration.ofSeconds(1))).build().start();
            d.clock.advance(Duration.ofSeconds(1));
            LoadGenerator.LoadReport report = run.await(DemoEngine.FAIL_AFTER);
            assertThat(report.triggered()).isEqualTo(160);
            assertThat(report.perTask()).containsEntry(DemoTasks.PROCESS_ANALYTICS, 60L)
                    .containsEntry(DemoTasks.PROCESS_PAYMENT, 30L).containsEntry(DemoTasks.SEND_REPORT, 10L);
            assertThat(d.runStore.countByStatus(null, null).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(160);
        }
    }

    @Test
    void builderNamesWhatIsMissing() {
        assertThatThrownBy(() -> LoadGenerator.builder().mix(TaskMix.demo()).profile(LoadProfile.parse("1/s for 1s")).build())
                .hasMessageContaining("sink");
        assertThatThrownBy(() -> LoadGenerator.builder().maxBatchSize(0)).hasMessageContaining("maxBatchSize");
    }
}
