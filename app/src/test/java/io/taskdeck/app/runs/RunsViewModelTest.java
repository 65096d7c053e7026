package io.taskdeck.app.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.Subscription;
import io.taskdeck.client.TaskServer;
import io.taskdeck.client.TriggerOptions;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.ManualClock;
import io.taskdeck.engine.TaskProvider;
import io.taskdeck.engine.store.MemoryRunStore;
import io.taskdeck.server.EngineTaskServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runs view-model over the real engine adapter, without a screen; background work inline. */
class RunsViewModelTest {

    private Engine engine;
    private TaskServer server;
    private final List<Throwable> unhandled = new ArrayList<>();
    private RunsViewModel vm;
    private final java.util.concurrent.LinkedBlockingQueue<RunEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
    private Subscription subscription;

    @BeforeEach
    void start() {
        // Not started: runs stay QUEUED, so nothing changes behind the test's back.
        engine = Engine.builder().store(new MemoryRunStore()).clock(new ManualClock(Instant.parse("2025-01-01T00:00:00Z")))
                .build();
        for (TaskProvider p : ServiceLoader.load(TaskProvider.class)) {
            p.tasks().forEach(engine::register);
        }
        server = EngineTaskServer.over(engine);
        subscription = server.subscribe(TaskServer.LIVE, events::add);
        vm = new RunsViewModel(() -> server, UiTasks.currentThread(unhandled::add),
                Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        subscription.close();
        engine.close();
        assertThat(unhandled).isEmpty();
    }

    private String trigger(String task, String tag) {
        return server.trigger(task, JsonNodeFactory.instance.objectNode(),
                TriggerOptions.builder().tags(tag).build()).id();
    }

    @Test
    void listsRunsNewestFirstAndFiltersByTaskAndTag() {
        String a = trigger("noop", "blue");
        String b = trigger("noop", "red");
        vm.reload();
        assertThat(vm.rows()).extracting(RunRow::id).containsExactly(b, a);

        vm.tagProperty().set("red");
        vm.reload();
        assertThat(vm.rows()).extracting(RunRow::id).containsExactly(b);

        vm.tagProperty().set("");
        vm.taskProperty().set("sleep");
        vm.reload();
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.messageProperty().get()).isEqualTo("No runs match these filters.");
    }

    @Test
    void loadsMorePagesByCursor() {
        for (int i = 0; i < RunsViewModel.PAGE_SIZE + 5; i++) {
            trigger("noop", "t");
        }
        vm.reload();
        assertThat(vm.rows()).hasSize(RunsViewModel.PAGE_SIZE);
        assertThat(vm.hasMoreProperty().get()).isTrue();

        vm.loadMore();
        assertThat(vm.rows()).hasSize(RunsViewModel.PAGE_SIZE + 5);
        assertThat(vm.hasMoreProperty().get()).isFalse();
    }

    @Test
    void newRunsArriveAtTheTopAndKnownRowsChangeInPlace() throws Exception {
        String first = trigger("noop", "t");
        vm.reload();
        RunRow row = vm.row(first);
        events.clear();

        String second = trigger("noop", "t");
        server.cancel(first);
        vm.applyEvents(takeUntil(e -> e.runId().equals(first) && e.status() == RunStatus.CANCELED));

        assertThat(vm.rows()).extracting(RunRow::id).containsExactly(second, first);
        assertThat(vm.row(first)).isSameAs(row);
        assertThat(row.run().status()).isEqualTo(RunStatus.CANCELED);
    }

    @Test
    void underLiveLoadTheOldestRowsGoAndLoadingMoreBringsThemBackInOrder() throws Exception {
        int cap = 2 * RunsViewModel.PAGE_SIZE;
        vm = new RunsViewModel(() -> server, UiTasks.currentThread(unhandled::add),
                Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC), cap);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            all.add(trigger("noop", "t"));
        }
        vm.reload();
        vm.loadMore();
        assertThat(vm.rows()).hasSize(150);
        // Live: batches of new runs, each tick fetching the first page again, as the console does.
        RunRow held = null;
        for (int tick = 0; tick < 4; tick++) {
            events.clear();
            for (int i = 0; i < 80; i++) {
                all.add(trigger("noop", "t"));
            }
            vm.applyEvents(takeUntil(e -> e.runId().equals(all.getLast())));
            assertThat(vm.rows().size()).isLessThanOrEqualTo(cap);
            if (tick == 2) {
                RunRow selected = vm.row(all.get(all.size() - 10));
                held = selected;
                vm.setPinned(() -> List.of(selected));
            }
        }
        // Past the bound the oldest rows went; the selected row stayed. A selected row deeper
        // than any cut would keep everything above it (the bound gives way to the user).
        assertThat(vm.rows()).contains(held);
        assertThat(vm.rows()).hasSizeLessThan(150 + 4 * 80);
        assertThat(vm.hasMoreProperty().get()).isTrue();

        vm.setPinned(List::of);
        while (vm.hasMoreProperty().get()) {
            vm.loadMore();
        }
        List<String> newestFirst = new ArrayList<>(all.reversed());
        assertThat(vm.rows()).extracting(RunRow::id).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void actionsOnSelectedRunsReportWhatFailed() {
        String a = trigger("noop", "t");
        String b = trigger("noop", "t");
        vm.reload();
        server.cancel(b);

        vm.cancel(List.of(vm.row(a), vm.row(b)));

        assertThat(vm.messageProperty().get()).startsWith("Canceled 1 run; 1 failed — " + b + ": ");
        assertThat(vm.row(a).run().status()).isEqualTo(RunStatus.CANCELED);
    }

    @Test
    void moreThanAFewRunsGoThroughOneBulkActionWhoseProgressIsFollowed() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < RunsViewModel.BULK_THRESHOLD + 1; i++) {
            ids.add(trigger("noop", "t"));
        }
        vm.reload();
        ScriptedBulk bulk = new ScriptedBulk(server);
        RunsViewModel bulkVm = new RunsViewModel(bulk::proxy, UiTasks.currentThread(unhandled::add), Clock.systemUTC());
        bulkVm.reload();
        int n = ids.size();
        bulk.next = progress("RUNNING", n, 0, 0, List.of());

        bulkVm.cancel(List.copyOf(bulkVm.rows()));

        assertThat(bulk.calls).containsExactly("startBulkAction");
        assertThat(bulk.request.kind()).isEqualTo(io.taskdeck.client.BulkActionKind.CANCEL);
        assertThat(bulk.request.runIds()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(bulkVm.bulkActionProperty().get()).isNotNull();
        assertThat(bulkVm.messageProperty().get()).isEqualTo("Canceling 0 of " + n + " runs…");

        bulk.next = progress("RUNNING", n, 3, 0, List.of());
        bulkVm.pollBulk();
        assertThat(bulkVm.bulkProgressProperty().get()).isEqualTo(3.0 / n);
        assertThat(bulkVm.messageProperty().get()).isEqualTo("Canceling 3 of " + n + " runs…");

        bulk.next = progress("COMPLETED", n, n, 1,
                List.of(new io.taskdeck.client.BulkActionError(ids.get(0), "conflict", "the run is COMPLETED")));
        bulkVm.pollBulk();
        assertThat(bulkVm.bulkActionProperty().get()).isNull();
        assertThat(bulkVm.bulkProgressProperty().get()).isEqualTo(1.0);
        assertThat(bulkVm.messageProperty().get()).isEqualTo("Canceled " + (n - 1) + " runs; 1 failed — "
                + ids.get(0) + ": the run is COMPLETED.");
        assertThat(bulk.calls).containsExactly("startBulkAction", "getBulkAction", "getBulkAction")
                .doesNotContain("cancel");
    }

    @Test
    void aBulkActionCanBeStoppedAndSaysHowFarItGot() {
        for (int i = 0; i < 8; i++) {
            trigger("noop", "t");
        }
        ScriptedBulk bulk = new ScriptedBulk(server);
        RunsViewModel bulkVm = new RunsViewModel(bulk::proxy, UiTasks.currentThread(unhandled::add), Clock.systemUTC());
        bulkVm.reload();
        bulk.next = progress("RUNNING", 8, 0, 0, List.of());
        bulkVm.replay(List.copyOf(bulkVm.rows()));
        assertThat(bulk.request.kind()).isEqualTo(io.taskdeck.client.BulkActionKind.REPLAY);

        bulkVm.replay(List.copyOf(bulkVm.rows()));
        assertThat(bulkVm.messageProperty().get()).startsWith("A bulk action is still running");

        bulk.next = progress("ABORTED", 8, 2, 0, List.of());
        bulkVm.abortBulk();
        assertThat(bulkVm.bulkActionProperty().get()).isNull();
        assertThat(bulkVm.messageProperty().get()).isEqualTo("Stopped after 2 of 8: replayed 2 runs.");
        assertThat(bulk.calls).containsExactly("startBulkAction", "abortBulkAction");
    }

    @Test
    void aFewRunsAreActedOnOneByOne() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < RunsViewModel.BULK_THRESHOLD; i++) {
            ids.add(trigger("noop", "t"));
        }
        ScriptedBulk bulk = new ScriptedBulk(server);
        RunsViewModel oneByOne = new RunsViewModel(bulk::proxy, UiTasks.currentThread(unhandled::add), Clock.systemUTC());
        oneByOne.reload();

        oneByOne.cancel(List.copyOf(oneByOne.rows()));

        assertThat(bulk.calls).containsOnly("cancel").hasSize(ids.size());
        assertThat(oneByOne.messageProperty().get()).isEqualTo("Canceled " + ids.size() + " runs.");
    }

    private static io.taskdeck.client.BulkAction progress(String state, long total, long done, long failed,
                                                          List<io.taskdeck.client.BulkActionError> errors) {
        return new io.taskdeck.client.BulkAction("bulk_1", io.taskdeck.client.BulkActionKind.CANCEL,
                io.taskdeck.client.BulkActionState.valueOf(state), total, done, done - failed, failed, errors,
                Instant.EPOCH, state.equals("RUNNING") ? null : Instant.EPOCH);
    }

    /** The real server for listing and single actions; bulk calls answered from a script, and every action call recorded. */
    private static final class ScriptedBulk {
        final TaskServer real;
        final List<String> calls = new ArrayList<>();
        io.taskdeck.client.BulkActionRequest request;
        io.taskdeck.client.BulkAction next;
        private final TaskServer proxy;

        ScriptedBulk(TaskServer real) {
            this.real = real;
            this.proxy = (TaskServer) java.lang.reflect.Proxy.newProxyInstance(TaskServer.class.getClassLoader(),
                    new Class<?>[] {TaskServer.class}, (p, method, args) -> {
                        String name = method.getName();
                        switch (name) {
                            case "startBulkAction" -> {
                                calls.add(name);
                                request = (io.taskdeck.client.BulkActionRequest) args[0];
                                return next;
                            }
                            case "getBulkAction", "abortBulkAction" -> {
                                calls.add(name);
                                return next;
                            }
                            case "cancel", "replay", "requeue" -> calls.add(name);
                            default -> { }
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        TaskServer proxy() {
            return proxy;
        }
    }

    /** The events the test itself caused; journal delivery is asynchronous. */
    private List<RunEvent> takeUntil(java.util.function.Predicate<RunEvent> last) throws InterruptedException {
        List<RunEvent> taken = new ArrayList<>();
        while (taken.isEmpty() || !last.test(taken.get(taken.size() - 1))) {
            RunEvent e = events.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(e).as("the expected event arrives").isNotNull();
            taken.add(e);
        }
        return taken;
    }
}
