package dev.seqwatch.ui.common;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.ProgressListener;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Runs each {@link BackgroundTask} as a {@link Task} on a worker pool. Visible tasks are listed in
 * {@link #running()} (shown by a ControlsFX {@code TaskProgressView}); errors without a handler of
 * their own go to the default handler (a readable dialog).
 */
public final class FxTaskExecutor implements TaskExecutor {
    private final ExecutorService pool;
    private final Consumer<Throwable> defaultErrorHandler;
    private final ObservableList<Task<?>> running = FXCollections.observableArrayList();

    public FxTaskExecutor(ExecutorService pool, Consumer<Throwable> defaultErrorHandler) {
        this.pool = pool;
        this.defaultErrorHandler = defaultErrorHandler;
    }

    public ObservableList<Task<?>> running() {
        return running;
    }

    @Override
    public <T> TaskHandle execute(BackgroundTask<T> bt) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                updateTitle(bt.title());
                ProgressListener p = new ProgressListener() {
                    @Override
                    public void progress(double fraction, String message) {
                        if (fraction < 0) {
                            updateProgress(-1, 1);
                        } else {
                            updateProgress(Math.min(1, fraction), 1);
                        }
                        if (message != null) {
                            updateMessage(message);
                        }
                    }

                    @Override
                    public void metric(String name, double x, double value) {
                        Platform.runLater(() -> bt.metricSink().metric(name, x, value));
                    }

                    @Override
                    public boolean isCancelled() {
                        return isCancelled2();
                    }
                };
                return bt.work().call(p);
            }

            private boolean isCancelled2() {
                return isCancelled();
            }
        };
        task.progressProperty().addListener((o, a, b) -> bt.progressSink().progress(b.doubleValue(), task.getMessage()));
        task.messageProperty().addListener((o, a, b) -> bt.progressSink().progress(task.getProgress(), b));
        task.setOnSucceeded(e -> {
            try {
                bt.successHandler().accept(task.getValue());
            } catch (RuntimeException ex) {
                report(bt, ex);
            } finally {
                finish(bt, task);
            }
        });
        task.setOnFailed(e -> {
            Throwable t = task.getException();
            try {
                if (t instanceof CancelledException) {
                    bt.cancelledHandler().run();
                } else {
                    report(bt, t);
                }
            } finally {
                finish(bt, task);
            }
        });
        task.setOnCancelled(e -> {
            try {
                bt.cancelledHandler().run();
            } finally {
                finish(bt, task);
            }
        });
        if (bt.showsProgress()) {
            running.add(task);
        }
        pool.execute(task);
        return new TaskHandle() {
            @Override
            public void cancel() {
                task.cancel(false);
            }

            @Override
            public boolean isDone() {
                return task.isDone();
            }
        };
    }

    private void report(BackgroundTask<?> bt, Throwable t) {
        if (bt.errorHandler() != null) {
            bt.errorHandler().accept(t);
        } else {
            defaultErrorHandler.accept(t);
        }
    }

    private void finish(BackgroundTask<?> bt, Task<?> task) {
        running.remove(task);
        bt.finallyHandler().run();
    }
}
