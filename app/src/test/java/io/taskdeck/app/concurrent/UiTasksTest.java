package io.taskdeck.app.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class UiTasksTest {

    private final List<String> events = new ArrayList<>();
    private final List<Throwable> unhandled = new ArrayList<>();
    private final Deque<Runnable> background = new ArrayDeque<>();
    private final Deque<Runnable> ui = new ArrayDeque<>();
    /** Work and callbacks queue up; the test decides when each thread runs. */
    private final UiTasks tasks = new UiTasks(background::add, ui::add, unhandled::add);

    @Test
    void successRunsWorkInTheBackgroundThenCallbacksOnTheUiThread() {
        CompletableFuture<Integer> done = tasks.supply(() -> {
                    events.add("work");
                    return 42;
                })
                .onSuccess(v -> events.add("success " + v))
                .onError(e -> events.add("error"))
                .andFinally(() -> events.add("finally"))
                .start();

        assertThat(events).isEmpty();
        background.poll().run();
        assertThat(events).containsExactly("work");
        assertThat(done).isNotDone();
        ui.poll().run();
        assertThat(events).containsExactly("work", "success 42", "finally");
        assertThat(done).isCompletedWithValue(42);
    }

    @Test
    void failureGoesToOnErrorThenFinally() {
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Void> done = tasks.run(() -> {
                    throw boom;
                })
                .onSuccess(v -> events.add("success"))
                .onError(e -> events.add("error " + e.getMessage()))
                .andFinally(() -> events.add("finally"))
                .start();

        background.poll().run();
        ui.poll().run();

        assertThat(events).containsExactly("error boom", "finally");
        assertThat(done).isCompletedExceptionally();
        assertThat(unhandled).isEmpty();
    }

    @Test
    void failureWithoutOnErrorIsReportedAsUnhandled() {
        UiTasks inline = UiTasks.currentThread(unhandled::add);

        inline.run(() -> {
            throw new IllegalStateException("nobody listens");
        }).andFinally(() -> events.add("finally")).start();

        assertThat(unhandled).singleElement().extracting(Throwable::getMessage).isEqualTo("nobody listens");
        assertThat(events).containsExactly("finally");
    }

    @Test
    void aThrowingCallbackIsReportedAndFinallyStillRuns() {
        UiTasks inline = UiTasks.currentThread(unhandled::add);

        inline.supply(() -> "x")
                .onSuccess(v -> {
                    throw new IllegalArgumentException("bad callback");
                })
                .andFinally(() -> events.add("finally"))
                .start();

        assertThat(unhandled).singleElement().extracting(Throwable::getMessage).isEqualTo("bad callback");
        assertThat(events).containsExactly("finally");
    }

    @Test
    void aTaskStartsOnlyOnce() {
        UiTasks.Builder<String> task = UiTasks.currentThread(unhandled::add).supply(() -> "x");
        task.start();

        assertThatThrownBy(task::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("started already");
    }
}
