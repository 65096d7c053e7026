package io.taskdeck.app.concurrent;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * The one way the console runs work off the FX thread.
 *
 * <pre>{@code
 * tasks.supply(() -> server.listQueues())
 *      .onSuccess(viewModel::showQueues)      // on the UI thread
 *      .onError(viewModel::showLoadError)     // on the UI thread
 *      .andFinally(() -> spinner.setVisible(false))
 *      .start();
 * }</pre>
 *
 * Work runs on the background executor; the callbacks run on the UI executor (the FX
 * thread in the app). An error without an {@code onError}, or thrown by a callback, goes
 * to the unhandled-error handler (the app shows it in the error dialog), never nowhere.
 * Tests use {@link #currentThread(Consumer)}, which runs everything inline.
 */
public final class UiTasks implements AutoCloseable {

    /** Work that may throw. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    private final Executor background;
    private final Executor ui;
    private final Consumer<Throwable> unhandled;
    private final ExecutorService owned;

    public UiTasks(Executor background, Executor ui,
                   Consumer<Throwable> unhandled) {
        this(background, ui, unhandled, null);
    }

    private UiTasks(Executor background, Executor ui,
                    Consumer<Throwable> unhandled, ExecutorService owned) {
        this.background = Objects.requireNonNull(background, "background");
        this.ui = Objects.requireNonNull(ui, "ui");
        this.unhandled = Objects.requireNonNull(unhandled, "unhandled");
        this.owned = owned;
    }

    /** Background work on a pool of daemon threads, callbacks on the FX thread. */
    public static UiTasks forFxApplication(Consumer<Throwable> unhandled) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "taskdeck-background-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newCachedThreadPool(threads);
        return new UiTasks(pool, Platform::runLater, unhandled, pool);
    }

    /** Everything inline on the calling thread: for tests. */
    public static UiTasks currentThread(Consumer<Throwable> unhandled) {
        return new UiTasks(Runnable::run, Runnable::run, unhandled);
    }

    public <T> Builder<T> supply(Callable<T> work) {
        return new Builder<>(Objects.requireNonNull(work, "work"));
    }

    public Builder<Void> run(Work work) {
        Objects.requireNonNull(work, "work");
        return new Builder<>(() -> {
            work.run();
            return null;
        });
    }

    /** Stops taking work and waits (bounded) for running work, such as a settings write, to finish. */
    @Override
    public void close() {
        if (owned != null) {
            owned.shutdown();
            try {
                owned.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One piece of background work and what to do with its outcome. */
    public final class Builder<T> {
        private final Callable<T> work;
        private Consumer<? super T> onSuccess = result -> { };
        private Consumer<? super Throwable> onError;
        private Runnable andFinally = () -> { };
        private boolean started;

        private Builder(Callable<T> work) {
            this.work = work;
        }

        public Builder<T> onSuccess(Consumer<? super T> handler) {
            this.onSuccess = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder<T> onError(Consumer<? super Throwable> handler) {
            this.onError = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder<T> andFinally(Runnable handler) {
            this.andFinally = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Starts the work. The returned future completes after the callbacks ran, with the
         * work's result or its error.
         *
         * @throws IllegalStateException when this task was started already
         */
        public CompletableFuture<T> start() {
            if (started) {
                throw new IllegalStateException("This task was started already; build a new one to run it again");
            }
            started = true;
            CompletableFuture<T> done = new CompletableFuture<>();
            background.execute(() -> {
                T result;
                try {
                    result = work.call();
                } catch (Throwable error) {
                    ui.execute(() -> finish(() -> handleError(error), () -> done.completeExceptionally(error)));
                    return;
                }
                ui.execute(() -> finish(() -> onSuccess.accept(result), () -> done.complete(result)));
            });
            return done;
        }

        private void handleError(Throwable error) {
            if (onError == null) {
                unhandled.accept(error);
            } else {
                onError.accept(error);
            }
        }

        private void finish(Runnable outcome, Runnable complete) {
            try {
                outcome.run();
            } catch (Throwable callbackError) {
                unhandled.accept(callbackError);
            } finally {
                try {
                    andFinally.run();
                } catch (Throwable finallyError) {
                    unhandled.accept(finallyError);
                }
                complete.run();
            }
        }
    }
}
