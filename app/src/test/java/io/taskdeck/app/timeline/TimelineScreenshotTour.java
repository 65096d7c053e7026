package io.taskdeck.app.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.app.AppHome;
import io.taskdeck.app.Console;
import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.connections.ConnectionManager;
import io.taskdeck.app.connections.LocalEngine;
import io.taskdeck.app.shell.View;
import io.taskdeck.app.theme.Theme;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TriggerOptions;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Not a test: opens the console on a display, runs a mixed workload on Local (slow reports,
 * keyed workspace updates, flaky retries, failures, a limit override) and saves the timeline at
 * several zoom levels to {@code docs/screenshots/timeline-*.png}.
 *
 * <pre>DISPLAY=:97 java -cp app/target/test-classes:app/target/classes:app/target/lib/* \
 *     'io.taskdeck.app.timeline.TimelineScreenshotTour$Launch' docs/screenshots</pre>
 */
public final class TimelineScreenshotTour extends Application {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path out;
    private Console console;

    /** The launcher: a main class outside the Application subclass, as the app's own Main. */
    public static final class Launch {
        public static void main(String[] args) {
            out = Path.of(args.length > 0 ? args[0] : "docs/screenshots");
            Application.launch(TimelineScreenshotTour.class, args);
        }
    }

    @Override
    public void start(Stage stage) throws Exception {
        Path home = Files.createTempDirectory("timeline-tour");
        AppHome appHome = new AppHome(home).prepare();
        LocalEngine local = new LocalEngine(appHome);
        UiTasks tasks = UiTasks.forFxApplication(Throwable::printStackTrace);
        console = new Console(appHome, tasks, Locale.ENGLISH, local, ConnectionManager::http);
        console.show(stage);
        stage.setWidth(1400);
        stage.setHeight(900);
        stage.setX(0);
        stage.setY(0);
        Thread tour = new Thread(() -> {
            try {
                tour(stage);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                Platform.exit();
                System.exit(0);
            }
        }, "tour");
        tour.setDaemon(true);
        tour.start();
    }

    private void tour(Stage stage) throws Exception {
        while (!fx(() -> console.currentSession().openProperty().get())) {
            Thread.sleep(200);
        }
        TaskServer server = fx(() -> console.currentSession().server());
        fx(() -> {
            console.shellViewModel().navigate(View.TIMELINE);
            return null;
        });
        TimelineController timeline = fx(() -> (TimelineController) console.shell().currentController());
        Random random = new Random(7);
        long started = System.currentTimeMillis();
        int n = 0;
        while (System.currentTimeMillis() - started < 75_000) {
            long elapsed = System.currentTimeMillis() - started;
            for (int i = 0; i < 3; i++) {
                n++;
                trigger(server, random, n);
            }
            if (elapsed > 25_000 && elapsed < 25_400) {
                server.overrideConcurrency("process-report", 2);
            }
            if (elapsed > 50_000 && elapsed < 50_400) {
                server.resetConcurrency("process-report");
            }
            Thread.sleep(350);
        }
        fx(() -> {
            timeline.viewModel().viewport().zoom(60_000 / timeline.viewModel().viewport().spanMs(), 0,
                    System.currentTimeMillis());
            return null;
        });
        shot(stage, "timeline-1min-follow");
        fx(() -> {
            timeline.viewModel().viewport().zoom(15 * 60_000 / timeline.viewModel().viewport().spanMs(), 0,
                    System.currentTimeMillis());
            return null;
        });
        shot(stage, "timeline-15min");
        fx(() -> {
            long now = System.currentTimeMillis();
            timeline.viewModel().show(now - 20_000, now - 8_000);
            timeline.viewModel().searchProperty().set("flaky");
            return null;
        });
        shot(stage, "timeline-12s-search-flaky");
        fx(() -> {
            timeline.viewModel().searchProperty().set("");
            timeline.viewModel().rowModeProperty().set(TimelineModel.RowMode.KEYS);
            timeline.viewModel().queueProperty().set("update-workspace");
            long now = System.currentTimeMillis();
            timeline.viewModel().show(now - 40_000, now);
            return null;
        });
        shot(stage, "timeline-keys-update-workspace");
        fx(() -> {
            timeline.viewModel().rowModeProperty().set(TimelineModel.RowMode.SLOTS);
            timeline.viewModel().queueProperty().set("");
            console.shellViewModel().themeProperty().set(Theme.DARK);
            timeline.viewModel().setFollowing(true);
            timeline.viewModel().viewport().zoom(90_000 / timeline.viewModel().viewport().spanMs(), 0,
                    System.currentTimeMillis());
            return null;
        });
        shot(stage, "timeline-dark-90s");
    }

    private static void trigger(TaskServer server, Random random, int n) {
        String task;
        JsonNode payload;
        TriggerOptions options = TriggerOptions.NONE;
        int pick = random.nextInt(10);
        if (pick < 3) {
            task = "process-report";
            payload = JSON.createObjectNode().put("reportId", "r" + n).put("durationMs", 600 + random.nextInt(2_500));
        } else if (pick < 6) {
            task = "update-workspace";
            String ws = "ws_" + random.nextInt(6);
            payload = JSON.createObjectNode().put("workspaceId", ws).put("durationMs", 300 + random.nextInt(1_200));
            ((com.fasterxml.jackson.databind.node.ObjectNode) payload).putObject("data").put("seq", n);
            options = TriggerOptions.builder().concurrencyKey(ws).build();
        } else if (pick < 8) {
            task = "flaky";
            payload = JSON.createObjectNode().put("failTimes", random.nextInt(3));
        } else if (pick < 9) {
            task = "send-report";
            payload = JSON.createObjectNode().put("reportId", "r" + n).put("recipient", "ops@example.com")
                    .put("durationMs", 500 + random.nextInt(2_000));
        } else {
            task = random.nextBoolean() ? "always-fail" : "sleep";
            payload = task.equals("sleep") ? JSON.createObjectNode().put("ms", 400 + random.nextInt(1_500))
                    : JSON.createObjectNode().put("message", "card processor timed out");
        }
        try {
            server.trigger(task, payload, options);
        } catch (RuntimeException e) {
            System.err.println("trigger " + task + ": " + e.getMessage());
        }
    }

    private void shot(Stage stage, String name) throws Exception {
        Thread.sleep(1_500);
        WritableImage image = fx(() -> stage.getScene().snapshot(null));
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage buffered = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                buffered.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        Files.createDirectories(out);
        ImageIO.write(buffered, "png", out.resolve(name + ".png").toFile());
        System.out.println("saved " + out.resolve(name + ".png"));
    }

    private static <T> T fx(Callable<T> action) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(action.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get();
    }
}
