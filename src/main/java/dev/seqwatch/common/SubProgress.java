package dev.seqwatch.common;


/** Maps a phase's 0..1 progress onto the range [from, to] of an outer listener; cancellation passes through. */
public final class SubProgress implements ProgressListener {
    private final ProgressListener outer;
    private final double from;
    private final double to;

    public SubProgress(ProgressListener outer, double from, double to) {
        this.outer = outer;
        this.from = from;
        this.to = to;
    }

    @Override
    public void progress(double fraction, String message) {
        outer.progress(fraction < 0 ? -1 : from + (to - from) * Math.min(1, fraction), message);
    }

    @Override
    public void metric(String name, double x, double value) {
        outer.metric(name, x, value);
    }

    @Override
    public boolean isCancelled() {
        return outer.isCancelled();
    }
}
