package dev.seqwatch.common;

/**
 * Receives progress from long-running core work (import, training, scoring) and tells it
 * whether to stop. Implementations must be thread-safe: core code calls them from worker threads.
 */
public interface ProgressListener {

    /** @param fraction 0..1, or a negative number when the amount of work is unknown */
    void progress(double fraction, String message);

    /** A named value over time, e.g. training loss per epoch, for live charts. */
    default void metric(String name, double x, double value) {
    }

    boolean isCancelled();

    /** Throws {@link CancelledException} when the user asked to stop. Call between units of work. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancelledException();
        }
    }

    ProgressListener NONE = new ProgressListener() {
        @Override
        public void progress(double fraction, String message) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };
}
