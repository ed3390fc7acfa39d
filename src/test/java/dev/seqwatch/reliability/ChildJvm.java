package dev.seqwatch.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CrashChild} in its own JVM (the test's class path), whose stdout lines are collected
 * with the time they arrived, and which can be killed with SIGKILL ({@link Process#destroyForcibly}
 * on Linux). Lines printed before the kill are still read from the pipe afterwards.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Thread reader;
    private final List<String> lines = new ArrayList<>();
    private final List<Long> arrivals = new ArrayList<>();
    private final Path stderr;
    private boolean killed;

    private ChildJvm(Process p, Path stderr) {
        this.process = p;
        this.stderr = stderr;
        this.reader = new Thread(this::pump, "crash-child-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildJvm start(Path stderr, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        return new ChildJvm(p, stderr);
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                synchronized (lines) {
                    lines.add(l);
                    arrivals.add(System.nanoTime());
                    lines.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the pipe closes when the child dies
        }
    }

    /** Waits until {@code n} lines arrived or the child ended; returns whether they arrived. */
    boolean awaitLines(int n, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (lines) {
            while (lines.size() < n) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    return lines.size() >= n;
                }
                lines.wait(Math.min(left, 200));
            }
            return true;
        }
    }

    /** Waits until {@code n} lines equal to {@code line} arrived or the child ended; returns whether they arrived. */
    boolean awaitCount(String line, int n, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (lines) {
            while (lines.stream().filter(line::equals).count() < n) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    return false;
                }
                lines.wait(Math.min(left, 200));
            }
            return true;
        }
    }

    /** Arrival time (System.nanoTime) of line {@code i}. */
    long arrival(int i) {
        synchronized (lines) {
            return arrivals.get(i);
        }
    }

    /** Lets the child run up to {@code millis} more; true if it ended by itself in that time. */
    boolean runFor(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** SIGKILL if still running; returns whether it was running (a real kill point). */
    boolean kill() throws InterruptedException {
        killed = process.isAlive();
        process.destroyForcibly();
        process.waitFor();
        reader.join(10_000);
        return killed;
    }

    /** Waits for a child that should end by itself, failing with its stderr if it does not end well. */
    void awaitSuccess(long timeoutMillis) throws InterruptedException, IOException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not finish in " + timeoutMillis + " ms: " + errors());
        }
        reader.join(10_000);
        if (process.exitValue() != 0) {
            throw new AssertionError("child failed with exit " + process.exitValue() + ": " + errors());
        }
    }

    /** After a kill: the child must not have failed on its own before it (exit 137 = SIGKILL). */
    void assertDiedOfTheKill() throws IOException {
        if (!killed && process.exitValue() != 0) {
            throw new AssertionError("child failed with exit " + process.exitValue() + ": " + errors());
        }
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    String errors() throws IOException {
        String e = Files.exists(stderr) ? Files.readString(stderr) : "";
        return e.length() > 4000 ? e.substring(0, 4000) : e;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
