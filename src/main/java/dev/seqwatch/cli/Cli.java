package dev.seqwatch.cli;

import dev.seqwatch.common.UserFacingException;

import java.util.concurrent.Callable;

/** Small helpers shared by the commands. */
final class Cli {
    private Cli() {
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
