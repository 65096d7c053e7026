package io.taskdeck.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.connections.ConnectionManager;
import io.taskdeck.app.connections.LocalEngine;
import io.taskdeck.app.deadletters.DeadLettersController;
import io.taskdeck.app.queues.QueuesController;
import io.taskdeck.app.shell.View;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.client.TriggerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

/**
 * Not a test: a scripted tour for screenshots on a real display. Opens the console on Local with
 * demo failures and load, shows Dead letters then Queues, and writes the name of the screen that is
 * ready into {@code <dir>/ready}; it moves on when {@code <dir>/next} appears.
 *
 * <pre>java -cp ... io.taskdeck.app.ScreenshotTour /tmp/tour</pre>
 */
public final class ScreenshotTour {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/taskdeck-tour");
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("ready"));
        Files.deleteIfExists(dir.resolve("next"));
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        AppHome home = new AppHome(dir.resolve("home")).prepare();
        LocalEngine local = new LocalEngine(home);
        Console console = fx(() -> {
            Console c = new Console(home, UiTasks.forFxApplication(Throwable::printStackTrace), Locale.ENGLISH,
                    local, ConnectionManager::http);
            Stage stage = new Stage();
            c.show(stage);
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(1400);
            stage.setHeight(900);
            return c;
        });
        while (!fx(() -> console.currentSession().openProperty().get())) {
            Thread.sleep(200);
        }
        TaskServer server = fx(() -> console.currentSession().server());

        TriggerOptions once = TriggerOptions.builder().maxAttempts(1).build();
        List<TriggerRequest> failures = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            failures.add(new TriggerRequest("always-fail", JSON.readTree(
                    "{\"message\": \"ledger service: connection refused (attempt " + i + ")\"}"), once));
        }
        for (int i = 0; i < 12; i++) {
            failures.add(new TriggerRequest("flaky", JSON.readTree("{\"failTimes\": 9}"), once));
        }
        for (int i = 0; i < 5; i++) {
            failures.add(new TriggerRequest("always-fail", JSON.readTree(
                    "{\"message\": \"invoice " + (4100 + i) + " has no customer\"}"), once));
        }
        server.batchTrigger(failures);
        Thread.sleep(3000);

        fx(() -> {
            console.shellViewModel().navigate(View.DEAD_LETTERS);
            return null;
        });
        Thread.sleep(1500);
        fx(() -> {
            DeadLettersController dl = (DeadLettersController) console.shell().currentController();
            dl.viewModel().groupProperty().set(dl.viewModel().groups().stream()
                    .filter(g -> g.sampleError().message().startsWith("ledger")).findFirst().orElseThrow());
            return null;
        });
        Thread.sleep(1000);
        fx(() -> {
            TableView<?> runs = (TableView<?>) console.shell().currentView().lookup("#dl-runs");
            runs.getSelectionModel().select(0);
            return null;
        });
        Thread.sleep(1500);
        fx(() -> {
            DeadLettersController dl = (DeadLettersController) console.shell().currentController();
            var g = dl.viewModel().groupProperty().get();
            dl.viewModel().ratePerSecondProperty().set(10.0);
            dl.viewModel().requeue(new io.taskdeck.app.deadletters.RequeueTarget.Group(g.fingerprint(), g.count()));
            return null;
        });
        Thread.sleep(1800);
        step(dir, "deadletters");

        // Load for the queues: reports (limit 5, raised to 8), mail (limit 2, paused), sleeps.
        List<TriggerRequest> load = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            load.add(new TriggerRequest("process-report", JSON.readTree("{\"reportId\": \"r" + i + "\", \"durationMs\": 1500}"), null));
        }
        server.batchTrigger(load);
        load.clear();
        for (int i = 0; i < 60; i++) {
            load.add(new TriggerRequest("sleep", JSON.readTree("{\"ms\": " + (200 + 50 * (i % 7)) + "}"), null));
        }
        server.batchTrigger(load);
        server.overrideConcurrency("process-report", 8);
        fx(() -> {
            console.shellViewModel().navigate(View.QUEUES);
            return null;
        });
        for (int s = 0; s < 20; s++) {
            if (s % 2 == 0) {
                List<TriggerRequest> more = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    more.add(new TriggerRequest("process-report", JSON.readTree("{\"reportId\": \"m" + s + i + "\", \"durationMs\": 1500}"), null));
                    more.add(new TriggerRequest("sleep", JSON.readTree("{\"ms\": 300}"), null));
                    more.add(new TriggerRequest("send-report", JSON.readTree("{\"reportId\": \"s" + s + i + "\", \"recipient\": \"ops@example.com\"}"), null));
                }
                server.batchTrigger(more);
            }
            if (s == 8) {
                server.pauseQueue("send-report");
            }
            Thread.sleep(1000);
        }
        fx(() -> {
            QueuesController q = (QueuesController) console.shell().currentController();
            q.viewModel().selectedProperty().set(q.viewModel().row("process-report"));
            q.viewModel().limitProperty().set(20);
            return null;
        });
        Thread.sleep(2000);
        step(dir, "queues");
        fx(() -> {
            Platform.exit();
            return null;
        });
        local.close();
        System.exit(0);
    }

    private static void step(Path dir, String name) throws Exception {
        Files.writeString(dir.resolve("ready"), name);
        System.out.println("READY " + name);
        Path next = dir.resolve("next");
        while (!Files.exists(next)) {
            Thread.sleep(200);
        }
        Files.delete(next);
        Files.deleteIfExists(dir.resolve("ready"));
    }

    private static <T> T fx(java.util.concurrent.Callable<T> action) throws Exception {
        FutureTask<T> task = new FutureTask<>(action);
        Platform.runLater(task);
        return task.get(30, TimeUnit.SECONDS);
    }
}
