package io.taskdeck.app.timeline;

import io.taskdeck.app.FrameStats;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventType;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.Subscription;
import io.taskdeck.client.TaskServer;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.TaskProvider;
import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.examples.LoadGenerator;
import io.taskdeck.examples.LoadProfile;
import io.taskdeck.examples.TaskMix;
import io.taskdeck.server.EngineTaskServer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.testfx.api.FxToolkit;

/**
 * Timeline figures, not assertions: frame times while the load generator pushes 2,000 runs/s into
 * a local engine, and the model's size over an hour of following at that rate. Excluded from
 * the default run; run with
 * {@code ./mvnw -o -pl ui-fxml,app -am verify -Dtest=TimelineBench -Dtaskdeck.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "taskdeck.bench", matches = "true")
class TimelineBench {

    private static final int RATE = Integer.getInteger("bench.rate", 2_000);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    /** Hand events over every 250 ms as the console's tick does (else every frame). */
    private static final boolean TICKED = Boolean.getBoolean("bench.ticked");
    /** Events applied per frame at most; a huge value applies a tick's events in one frame, as before the backlog. */
    private static final int PER_FRAME = Integer.getInteger("bench.perFrame", TimelineViewModel.EVENTS_PER_FRAME);

    @Test
    void framesWhileTheLoadGeneratorRuns() throws Exception {
        FxToolkit.registerPrimaryStage();
        Engine engine = Engine.builder().store(new MemoryRunStore()).nodeId("bench").build();
        for (TaskProvider p : ServiceLoader.load(TaskProvider.class)) {
            p.tasks().forEach(engine::register);
        }
        engine.start();
        TaskServer server = EngineTaskServer.over(engine);
        ConcurrentLinkedQueue<RunEvent> inbox = new ConcurrentLinkedQueue<>();
        Subscription sub = server.subscribe(TaskServer.LIVE, new io.taskdeck.client.RunEventListener() {
            @Override
            public void onEvent(RunEvent event) {
                inbox.add(event);
            }
        });
        TimelineModel model = new TimelineModel(System::currentTimeMillis, TimelineViewModel.DEFAULT_MAX_RUNS);
        Viewport vp = new Viewport(12_000, System.currentTimeMillis());
        TimelineRenderer renderer = new TimelineRenderer(TimelinePalette.light(), ZoneId.systemDefault());
        List<Long> frameNanos = new ArrayList<>();
        List<Integer> bars = new ArrayList<>();
        // Per frame: total, events, apply, layout, draw (ns), FX thread CPU (ns), GC (ms), rects.
        List<long[]> frames = new ArrayList<>();
        EventBacklog backlog = new EventBacklog(TimelineViewModel.MAX_PENDING_EVENTS);
        long[] lastTick = {0};
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] pulses = new long[1];
        CountDownLatch done = new CountDownLatch(1);
        long warmupMs = 8_000;
        long[] measureFrom = {0};
        long[] measureTo = {0};

        LoadGenerator.LoadRun load = LoadGenerator.builder().engine(engine)
                .mix(TaskMix.single("noop", seq -> Map.of("seq", seq)))
                .profile(LoadProfile.steady(RATE, Duration.ofSeconds(SECONDS + warmupMs / 1000 + 2)))
                .build().start();
        CompletableFuture<Void> shown = new CompletableFuture<>();
        Platform.runLater(() -> {
            Canvas canvas = new Canvas(1400, 800);
            Stage stage = new Stage();
            stage.setScene(new Scene(new Pane(canvas), 1400, 800));
            stage.show();
            vp.resize(1400 - LaneGeometry.GUTTER, 800 - TimelineRenderer.AXIS, System.currentTimeMillis());
            long start = System.currentTimeMillis();
            new AnimationTimer() {
                @Override
                public void handle(long now) {
                    long t0 = System.nanoTime();
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long gc0 = FrameStats.gcMillis();
                    List<RunEvent> batch = new ArrayList<>();
                    if (!TICKED || now - lastTick[0] >= 250_000_000L) {
                        lastTick[0] = now;
                        for (RunEvent e; (e = inbox.poll()) != null; ) {
                            batch.add(e);
                        }
                    }
                    // As the view model does: a frame applies a bounded share of what arrived.
                    backlog.offer(batch, model::apply);
                    int applied = backlog.drain(PER_FRAME, model::apply);
                    model.evict(System.currentTimeMillis() - 60_000);
                    long t1 = System.nanoTime();
                    long wall = System.currentTimeMillis();
                    vp.tick(wall);
                    LaneGeometry g = new LaneGeometry(model.lanes(), TimelineFilter.NONE);
                    long t2 = System.nanoTime();
                    TimelineRenderer.FrameStats stats = renderer.draw(canvas.getGraphicsContext2D(), 1400, 800, g, vp,
                            TimelineFilter.NONE, null, null, false, wall);
                    long t3 = System.nanoTime();
                    long took = t3 - t0;
                    if (wall - start >= warmupMs) {
                        if (measureFrom[0] == 0) {
                            measureFrom[0] = wall;
                        }
                        frameNanos.add(took);
                        bars.add(stats.bars());
                        frames.add(new long[]{took, applied, t1 - t0, t2 - t1, t3 - t2,
                            threads.getCurrentThreadCpuTime() - cpu0, FrameStats.gcMillis() - gc0, stats.rects()});
                        pulses[0]++;
                        if (wall - measureFrom[0] >= SECONDS * 1000L) {
                            measureTo[0] = wall;
                            stop();
                            stage.close();
                            done.countDown();
                        }
                    }
                }
            }.start();
            shown.complete(null);
        });
        shown.get(30, TimeUnit.SECONDS);
        done.await(SECONDS + 120, TimeUnit.SECONDS);
        load.stop();
        LoadGenerator.LoadReport report = load.await();
        sub.close();
        engine.stop(Duration.ofSeconds(5));

        long[] sorted = frameNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int[] barCounts = bars.stream().mapToInt(Integer::intValue).sorted().toArray();
        double seconds = (measureTo[0] - measureFrom[0]) / 1000.0;
        System.out.printf(Locale.ROOT,
                "TIMELINE BENCH frames: %d in %.1f s = %.1f frames/s; frame time (apply events + draw, FX thread)"
                        + " p50 %.2f ms, p99 %.2f ms, max %.2f ms; visible bars p50 %d, min %d, max %d;"
                        + " load %.0f runs/s triggered (%d), model %d runs%n",
                sorted.length, seconds, sorted.length / seconds,
                FrameStats.pct(sorted, 0.50), FrameStats.pct(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6, barCounts[barCounts.length / 2], barCounts[0],
                barCounts[barCounts.length - 1], report.achievedRate(), report.triggered(), model.size());
        System.out.println("TIMELINE BENCH " + where(frames, sorted, 0.0) + "; slowest 1%: " + where(frames, sorted, 0.99)
                + "; load average " + java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Where the time of the frames at or above a percentile went, on average. */
    private static String where(List<long[]> frames, long[] sortedTotals, double p) {
        FrameStats.Slice s = FrameStats.atOrAbove(frames, sortedTotals, p, 8, 6);
        double[] m = s.mean();
        return String.format(Locale.ROOT, "%d frames: mean %.2f ms = apply %.2f (%.0f events) + layout %.2f + draw %.2f"
                        + " (%.0f rects); FX thread on CPU %.2f ms; GC %.2f ms (in %d frames)", s.frames(), m[0] / 1e6,
                m[2] / 1e6, m[1], m[3] / 1e6, m[4] / 1e6, m[7], m[5] / 1e6, m[6], s.framesWithGc());
    }

    @Test
    void theModelStaysBoundedThroughAnHourOfFollowingAt2000RunsPerSecond() {
        long t = 1_700_000_000_000L;
        long[] clock = {t};
        TimelineModel model = new TimelineModel(() -> clock[0], TimelineViewModel.DEFAULT_MAX_RUNS);
        long seq = 0;
        int perTick = RATE / 4;
        int maxSize = 0;
        long evicted = 0;
        List<RunEvent> batch = new ArrayList<>(perTick * 3);
        Runtime rt = Runtime.getRuntime();
        long started = System.nanoTime();
        StringBuilder heap = new StringBuilder();
        for (int tick = 0; tick < 3_600 * 4; tick++) {
            batch.clear();
            long now = clock[0];
            for (int i = 0; i < perTick; i++) {
                String id = "run_" + seq;
                long at = now + i % 250;
                batch.add(new RunEvent(++seq, Instant.ofEpochMilli(at), id, "noop", "task/noop",
                        RunEventType.TRIGGERED, RunStatus.QUEUED, null, null));
                batch.add(new RunEvent(++seq, Instant.ofEpochMilli(at + 2), id, "noop", "task/noop",
                        RunEventType.STATUS_CHANGED, RunStatus.EXECUTING, 1, null));
                batch.add(new RunEvent(++seq, Instant.ofEpochMilli(at + 9), id, "noop", "task/noop",
                        RunEventType.STATUS_CHANGED, RunStatus.COMPLETED, 1, null));
            }
            model.applyAll(batch);
            clock[0] += 250;
            // Following a one-minute view: keep a view before the view, evict older.
            evicted += model.evict(clock[0] - 120_000);
            maxSize = Math.max(maxSize, model.size());
            if (tick % (600 * 4) == 600 * 4 - 1) {
                System.gc();
                heap.append(String.format(Locale.ROOT, " %d min: %d MB;", (tick + 1) / 240,
                        (rt.totalMemory() - rt.freeMemory()) >> 20));
            }
        }
        System.out.printf(Locale.ROOT,
                "TIMELINE BENCH hour: %,d runs in 60 simulated min (%.0f s to compute); model max %,d runs"
                        + " (bound %,d × 1.5 hard), evicted %,d, dropped %,d; heap after GC:%s%n",
                seq / 3, (System.nanoTime() - started) / 1e9, maxSize, model.maxRuns(), evicted, model.dropped(),
                heap);
    }
}
