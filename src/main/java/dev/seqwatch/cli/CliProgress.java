package dev.seqwatch.cli;

import dev.seqwatch.common.ProgressListener;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Progress on stderr (at most a few lines a second) and Ctrl-C as cancel: the shutdown hook asks
 * the work to stop and waits until it has cleaned up, so an interrupted command changes nothing.
 */
public final class CliProgress implements ProgressListener, AutoCloseable {
    private final boolean quiet;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Object finished = new Object();
    private volatile boolean done;
    private final Thread hook;
    private long lastPrint;

    public CliProgress(boolean quiet) {
        this.quiet = quiet;
        this.hook = new Thread(() -> {
            cancelled.set(true);
            synchronized (finished) {
                long deadline = System.currentTimeMillis() + 60_000;
                while (!done && System.currentTimeMillis() < deadline) {
                    try {
                        finished.wait(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "seqwatch-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public synchronized void progress(double fraction, String message) {
        long now = System.currentTimeMillis();
        if (quiet || now - lastPrint < 500) {
            return;
        }
        lastPrint = now;
        System.err.println(fraction >= 0 ? String.format("[%3.0f%%] %s", fraction * 100, message) : message);
    }

    @Override
    public void metric(String name, double x, double value) {
        if (!quiet) {
            System.err.printf("%s %s = %.5f%n", name, x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x), value);
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Marks the work finished, so a Ctrl-C arriving now does not wait. */
    public void done() {
        synchronized (finished) {
            done = true;
            finished.notifyAll();
        }
    }

    @Override
    public void close() {
        done();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook is running and sees done
        }
    }
}
