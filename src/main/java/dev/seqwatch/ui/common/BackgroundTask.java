package dev.seqwatch.ui.common;

import dev.seqwatch.common.ProgressListener;

import java.util.function.Consumer;

/**
 * A piece of long work with its callbacks, independent of how it runs: {@link FxTaskExecutor}
 * runs it as a {@code javafx.concurrent.Task} off the FX thread, {@link CurrentThreadTaskExecutor}
 * runs it synchronously so view-models can be tested with plain JUnit.
 * Callbacks run on the FX thread (or the caller's thread in tests) and must stay light.
 */
public final class BackgroundTask<T> {

    /** The work; report progress and check for cancellation through {@code p}. */
    @FunctionalInterface
    public interface Work<T> {
        T call(ProgressListener p) throws Exception;
    }

    /** A live metric from the work, e.g. training loss per epoch. */
    @FunctionalInterface
    public interface MetricSink {
        void metric(String name, double x, double value);
    }

    /** Progress as the view shows it; called on the FX thread, coalesced. */
    @FunctionalInterface
    public interface ProgressSink {
        void progress(double fraction, String message);
    }

    private final String title;
    private final Work<T> work;
    private Consumer<T> onSuccess = v -> { };
    private Consumer<Throwable> onError;
    private Runnable onCancelled = () -> { };
    private Runnable andFinally = () -> { };
    private MetricSink onMetric = (n, x, v) -> { };
    private boolean showProgress = true;
    private ProgressSink onProgress = (f, m) -> { };

    private BackgroundTask(String title, Work<T> work) {
        this.title = title;
        this.work = work;
    }

    public static <T> BackgroundTask<T> create(String title, Work<T> work) {
        return new BackgroundTask<>(title, work);
    }

    public BackgroundTask<T> onSuccess(Consumer<T> c) {
        this.onSuccess = c;
        return this;
    }

    /** Without an error handler the executor's default (a readable dialog) is used. */
    public BackgroundTask<T> onError(Consumer<Throwable> c) {
        this.onError = c;
        return this;
    }

    public BackgroundTask<T> onCancelled(Runnable r) {
        this.onCancelled = r;
        return this;
    }

    public BackgroundTask<T> andFinally(Runnable r) {
        this.andFinally = r;
        return this;
    }

    public BackgroundTask<T> onMetric(MetricSink m) {
        this.onMetric = m;
        return this;
    }

    public BackgroundTask<T> onProgress(ProgressSink s) {
        this.onProgress = s;
        return this;
    }

    public ProgressSink progressSink() {
        return onProgress;
    }

    /** Quick background reads need no entry in the task list. */
    public BackgroundTask<T> quiet() {
        this.showProgress = false;
        return this;
    }

    public String title() {
        return title;
    }

    public Work<T> work() {
        return work;
    }

    public Consumer<T> successHandler() {
        return onSuccess;
    }

    public Consumer<Throwable> errorHandler() {
        return onError;
    }

    public Runnable cancelledHandler() {
        return onCancelled;
    }

    public Runnable finallyHandler() {
        return andFinally;
    }

    public MetricSink metricSink() {
        return onMetric;
    }

    public boolean showsProgress() {
        return showProgress;
    }
}
