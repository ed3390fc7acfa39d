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

    /** Reads a pseudonymisation key file: it must exist and hold at least 16 bytes. */
    static byte[] readKey(java.nio.file.Path file) {
        byte[] key;
        try {
            key = java.nio.file.Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserFacingException("--pseudonymise-key-file " + file + ": no such file", e);
        } catch (java.io.IOException e) {
            throw new UserFacingException("--pseudonymise-key-file " + file + ": cannot read: " + e.getMessage(), e);
        }
        if (key.length < 16) {
            throw new UserFacingException("--pseudonymise-key-file " + file + ": the key has " + key.length
                    + " bytes; use at least 16 random bytes (e.g. head -c 32 /dev/urandom > key)");
        }
        return key;
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
