package dev.seqwatch.ui.common;

import dev.seqwatch.common.CancelledException;
import dev.seqwatch.common.ProgressListener;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs tasks synchronously on the calling thread, callbacks included (like JabRef's executor of the
 * same name), so view-models are tested without the JavaFX toolkit. Unhandled errors are collected.
 */
public final class CurrentThreadTaskExecutor implements TaskExecutor {
    private final List<Throwable> unhandled = new ArrayList<>();
    private final List<String> progressMessages = new ArrayList<>();
    private volatile boolean cancelRequested;

    @Override
    public <T> TaskHandle execute(BackgroundTask<T> task) {
        boolean[] done = {false};
        ProgressListener p = new ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
                progressMessages.add(message);
                task.progressSink().progress(fraction, message);
                if (cancelAfterProgress > 0 && progressMessages.size() >= cancelAfterProgress) {
                    cancelRequested = true;
                }
            }

            @Override
            public void metric(String name, double x, double value) {
                task.metricSink().metric(name, x, value);
            }

            @Override
            public boolean isCancelled() {
                return cancelRequested;
            }
        };
        try {
            T v = task.work().call(p);
            task.successHandler().accept(v);
        } catch (CancelledException e) {
            task.cancelledHandler().run();
        } catch (Throwable t) {
            Consumer<Throwable> h = task.errorHandler();
            if (h != null) {
                h.accept(t);
            } else {
                unhandled.add(t);
            }
        } finally {
            task.finallyHandler().run();
            done[0] = true;
        }
        return new TaskHandle() {
            @Override
            public void cancel() {
            }

            @Override
            public boolean isDone() {
                return done[0];
            }
        };
    }

    private int cancelAfterProgress;

    /** Requests cancellation once {@code n} progress reports have arrived (to test cancelling running work). */
    public void cancelAfterProgressReports(int n) {
        this.cancelAfterProgress = n;
    }

    /** Makes every following task see a cancellation request (to test cancel paths). */
    public void requestCancel(boolean cancel) {
        this.cancelRequested = cancel;
    }

    public List<Throwable> unhandledErrors() {
        return unhandled;
    }

    public List<String> progressMessages() {
        return progressMessages;
    }
}
