package dev.seqwatch.detect.lstm;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Fork-join of a fixed number of tasks on a shared pool of daemon threads: the caller runs task 0, pool
 * threads the rest, and {@link #run} returns when all are done. Tasks never wait for each other, so nested
 * or concurrent callers cannot deadlock (they only queue).
 */
final class Parallel {
    /** {@code -Dseqwatch.lstm.threads=N}; default the number of cores. */
    static final String THREADS_PROPERTY = "seqwatch.lstm.threads";

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static ExecutorService pool;

    private Parallel() {
    }

    static int threads() {
        int n = Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors());
        return Math.max(1, Math.min(64, n));
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "seqwatch-lstm-" + NAMES.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    static void run(int tasks, IntConsumer body) {
        if (tasks <= 1) {
            body.accept(0);
            return;
        }
        ExecutorService ex = pool();
        Future<?>[] futures = new Future<?>[tasks - 1];
        for (int k = 1; k < tasks; k++) {
            int task = k;
            futures[k - 1] = ex.submit(() -> body.accept(task));
        }
        Throwable error = null;
        try {
            body.accept(0);
        } catch (RuntimeException | Error e) {
            error = e;
        }
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) { // the tasks share the caller's buffers: always wait for them to finish
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (error == null) {
                        error = e.getCause();
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (error instanceof RuntimeException re) {
            throw re;
        }
        if (error instanceof Error err) {
            throw err;
        }
        if (error != null) {
            throw new IllegalStateException(error);
        }
    }
}
