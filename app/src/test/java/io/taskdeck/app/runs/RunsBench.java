package io.taskdeck.app.runs;

import io.taskdeck.app.FrameStats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskdeck.app.AppHome;
import io.taskdeck.app.Console;
import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.connections.ConnectionManager;
import io.taskdeck.app.connections.LocalEngine;
import io.taskdeck.app.shell.View;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventListener;
import io.taskdeck.client.Subscription;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.client.TriggerRequest;
import io.taskdeck.engine.BatchItem;
import io.taskdeck.examples.LoadGenerator;
import io.taskdeck.examples.LoadProfile;
import io.taskdeck.examples.TaskMix;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Runs view figures, not assertions: frame times of the whole console, showing Local's Runs with
 * Live on, while the load generator triggers no-op runs into Local (about 3 journal events a run:
 * triggered, executing, completed; 1,700 runs/s is about 5,000 events/s). A frame time is the time
 * from one pulse of the FX thread to the next, as the user sees it: the console's own 250 ms tick
 * (applying the events, fetching the head page in the background, inserting rows), CSS, layout and
 * rendering all delay the next pulse. Excluded from the default run; run with
 * {@code ./mvnw -B -o -pl app verify -Dtest='RunsBench' -Dtaskdeck.bench=true -Dbench.seconds=20 -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>The console is opened as the app opens it (background work on a background executor), not
 * as the UI tests' fixture does (background work inline on the FX thread, which would charge every
 * store query to the frames).
 */
@Tag("bench")
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "taskdeck.bench", matches = "true")
class RunsBench {

    /** Runs per second; a no-op run writes about 3 journal events. */
    private static final int RATE = Integer.getInteger("bench.rate", 1_700);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    private static final long WARMUP_MS = Long.getLong("bench.warmupMs", 8_000);

    @Test
    void framesWhileTheLoadGeneratorRuns() throws Exception {
        FxToolkit.registerPrimaryStage();
        Path homeDir = Files.createTempDirectory("taskdeck-runs-bench");
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        UiTasks tasks = UiTasks.forFxApplication(errors::add);
        AppHome home = new AppHome(homeDir).prepare();
        LocalEngine local = new LocalEngine(home);
        Stage[] stage = new Stage[1];
        Console console = onFx(() -> {
            stage[0] = new Stage();
            Console c = new Console(home, tasks, Locale.ENGLISH, local, ConnectionManager::http);
            c.show(stage[0]);
            return c;
        });
        awaitFx("Local is connected", () -> console.currentSession().openProperty().get());
        onFx(() -> {
            console.shellViewModel().navigate(View.RUNS);
            return null;
        });
        awaitFx("the Runs view is shown", () -> console.shell().currentController() instanceof RunsController);
        RunsController runs = onFx(() -> (RunsController) console.shell().currentController());
        onFx(() -> {
            runs.viewModel().liveProperty().set(true);
            return null;
        });
        TaskServer server = onFx(() -> console.currentSession().server());

        // Counts every journal event Local writes, to quote the event rate the view had to follow.
        AtomicLong events = new AtomicLong();
        Subscription counting = server.subscribe(TaskServer.LIVE, new RunEventListener() {
            @Override
            public void onEvent(RunEvent event) {
                events.incrementAndGet();
            }
        });

        // Triggers through Local's TaskServer, as a script connected to Local does.
        LoadGenerator.LoadRun load = LoadGenerator.builder()
                .sink(items -> server.batchTrigger(requests(items)))
                .mix(TaskMix.single("noop", seq -> JsonNodeFactory.instance.objectNode().put("seq", seq)))
                .profile(LoadProfile.steady(RATE, Duration.ofSeconds(SECONDS + WARMUP_MS / 1000 + 5)))
                .build().start();

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<long[]> frames = new ArrayList<>(); // interval ns, FX thread CPU ns in the interval, GC ms, rows
        long[] window = new long[4]; // measure from (ns), to (ns), events at from, events at to
        CountDownLatch done = new CountDownLatch(1);
        long started = System.nanoTime();
        onFx(() -> {
            new AnimationTimer() {
                long last;
                long lastCpu;
                long lastGc;

                @Override
                public void handle(long now) {
                    long t = System.nanoTime();
                    long cpu = threads.getCurrentThreadCpuTime();
                    long gc = FrameStats.gcMillis();
                    if (t - started >= WARMUP_MS * 1_000_000L) {
                        if (window[0] == 0) {
                            window[0] = t;
                            window[2] = events.get();
                        } else {
                            frames.add(new long[]{t - last, cpu - lastCpu, gc - lastGc, runs.viewModel().rows().size()});
                            if (t - window[0] >= SECONDS * 1_000_000_000L) {
                                window[1] = t;
                                window[3] = events.get();
                                stop();
                                done.countDown();
                            }
                        }
                    }
                    last = t;
                    lastCpu = cpu;
                    lastGc = gc;
                }
            }.start();
            return null;
        });
        boolean finished = done.await(SECONDS + WARMUP_MS / 1000 + 120, TimeUnit.SECONDS);
        load.stop();
        LoadGenerator.LoadReport report = load.await();
        counting.close();
        onFx(() -> {
            stage[0].close();
            console.close();
            return null;
        });
        local.close();
        tasks.close();
        if (!finished) {
            throw new AssertionError("the FX thread did not deliver " + SECONDS + " s of pulses in time");
        }

        long[] sorted = frames.stream().mapToLong(f -> f[0]).sorted().toArray();
        double seconds = (window[1] - window[0]) / 1e9;
        double eventRate = (window[3] - window[2]) / seconds;
        System.out.printf(Locale.ROOT,
                "RUNS BENCH frames: %d in %.1f s = %.1f frames/s; frame time (pulse to pulse, whole console, FX thread)"
                        + " p50 %.2f ms, p99 %.2f ms, max %.2f ms; journal events %.0f/s in the window (%d);"
                        + " load %.0f runs/s triggered (%d, %d failed%s); rows listed at the end %d%n",
                sorted.length, seconds, sorted.length / seconds,
                FrameStats.pct(sorted, 0.50), FrameStats.pct(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6, eventRate, window[3] - window[2], report.achievedRate(),
                report.triggered(), report.failed(), report.lastError() == null ? "" : ": " + report.lastError(),
                frames.getLast()[3]);
        System.out.println("RUNS BENCH " + where(frames, sorted, 0.0) + "; slowest 1%: " + where(frames, sorted, 0.99)
                + "; load average " + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                + "; unhandled errors " + errors.size());
        errors.forEach(Throwable::printStackTrace);
    }

    private static List<TriggerRequest> requests(List<BatchItem> items) {
        List<TriggerRequest> out = new ArrayList<>(items.size());
        for (BatchItem item : items) {
            out.add(new TriggerRequest(item.taskId(), (JsonNode) item.payload(), TriggerOptions.NONE));
        }
        return out;
    }

    /** The frames at or above a percentile, on average: how long, how much of it the FX thread was on CPU, GC. */
    private static String where(List<long[]> frames, long[] sortedTotals, double p) {
        FrameStats.Slice s = FrameStats.atOrAbove(frames, sortedTotals, p, 3, 2);
        double[] m = s.mean();
        return String.format(Locale.ROOT, "%d frames: mean %.2f ms; FX thread on CPU %.2f ms; GC %.2f ms (in %d frames)",
                s.frames(), m[0] / 1e6, m[1] / 1e6, m[2], s.framesWithGc());
    }

    private static <T> T onFx(Callable<T> action) throws Exception {
        T result = WaitForAsyncUtils.asyncFx(action).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        return result;
    }

    private static void awaitFx(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> onFx(condition));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("Timed out waiting until " + what, e);
        }
    }
}
