package dev.seqwatch.ui.common;

/** Runs {@link BackgroundTask}s; the application uses {@link FxTaskExecutor}, tests {@link CurrentThreadTaskExecutor}. */
public interface TaskExecutor {

    /** Starts {@code task}; the returned handle cancels it. */
    <T> TaskHandle execute(BackgroundTask<T> task);

    /** A running task as the caller sees it. */
    interface TaskHandle {
        void cancel();

        boolean isDone();
    }
}
