package dev.seqwatch.cli;

import dev.seqwatch.common.UserFacingException;

import java.util.concurrent.Callable;

/** Small helpers shared by the commands. */
final class Cli {
    private Cli() {
    }

    /** Reads a pseudonymisation key file (see {@link dev.seqwatch.ingest.PseudonymKey}). */
    static byte[] readKey(java.nio.file.Path file) {
        return dev.seqwatch.ingest.PseudonymKey.read(file);
    }

    /** Runs an argument conversion, turning its failure into a one-line user message. */
    static <T> T parse(Callable<T> f) {
        try {
            return f.call();
        } catch (Exception e) {
            throw new UserFacingException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }
}
