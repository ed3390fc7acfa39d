package dev.seqwatch.cli;

import dev.seqwatch.common.OutputFiles;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.store.Workspace;

import java.nio.file.Path;

import java.util.concurrent.Callable;

/** Small helpers shared by the commands. */
final class Cli {
    private Cli() {
    }

    /** Reads a pseudonymisation key file (see {@link dev.seqwatch.ingest.PseudonymKey}). */
    static byte[] readKey(java.nio.file.Path file) {
        return dev.seqwatch.ingest.PseudonymKey.read(file);
    }

    /**
     * Refuses the output {@code out} of option {@code option} before the workspace is opened or anything
     * is written, when it is the workspace {@code db} (or its lock / trace files) or one of {@code inputs}
     * (the one rule: {@link OutputFiles#check}).
     */
    static void refuseOverwrite(String option, Path out, Path db, OutputFiles.Guarded... inputs) {
        OutputFiles.check(option, out, Workspace.guardedFiles(db), java.util.Arrays.asList(inputs));
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
