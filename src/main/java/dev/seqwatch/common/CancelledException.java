package dev.seqwatch.common;

/** Thrown by core work that stopped because its {@link ProgressListener} asked it to. */
public class CancelledException extends RuntimeException {
    public CancelledException() {
        super("cancelled");
    }
}
