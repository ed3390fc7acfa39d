package dev.seqwatch.cli;

import dev.seqwatch.common.ProgressListener;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Progress on stderr for headless commands, and clean Ctrl-C: while open, a shutdown hook marks the
 * work cancelled and waits (up to a minute) until the command has rolled back and closed the
 * workspace, so an interrupted command leaves nothing half-written. Use it as the first resource
 * of the command's try-with-resources so it closes last.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    private final PrintWriter err;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean cancelled;
    private long lastPrint;
    private int lastPercent = -1;

    ConsoleProgress(PrintWriter err) {
        this.err = err;
        this.hook = new Thread(() -> {
            cancelled = true;
            err.println("seqwatch: interrupted, cancelling ...");
            err.flush();
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "seqwatch-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public synchronized void progress(double fraction, String message) {
        long now = System.currentTimeMillis();
        int percent = fraction < 0 ? -1 : (int) Math.round(fraction * 100);
        if (now - lastPrint < 1000 && percent != 100 && !(lastPercent < 0 && percent == 0)) {
            return;
        }
        lastPrint = now;
        lastPercent = percent;
        err.println(percent < 0 ? "  ... " + message : String.format("  %3d%% %s", percent, message));
        err.flush();
    }

    @Override
    public void metric(String name, double x, double value) {
        synchronized (this) {
            err.printf("  %s[%s] = %.5f%n", name, x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x), value);
            err.flush();
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    /** Cancels as Ctrl-C would (for tests and the GUI-less callers). */
    void cancel() {
        cancelled = true;
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and now returns
        }
    }
}
