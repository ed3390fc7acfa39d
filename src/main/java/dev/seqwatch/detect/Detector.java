package dev.seqwatch.detect;

import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.sequence.SequenceSet;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An anomaly detector over user sequences. No JavaFX, no H2 inside: it sees only sequences and
 * labels, so the same model file scores in the workbench, on the command line or in a batch job.
 * Each implementation also offers {@code static X load(Path)}; {@link DetectorRegistry} finds it.
 */
public interface Detector {

    /** Short stable name used on the command line and in model files, e.g. "lstm", "markov". */
    String name();

    /** Learns from {@code train}. Cancellable through {@code p}: throws CancelledException. */
    FitReport fit(SequenceSet train, FitOptions options, ProgressListener p);

    /** Scores every user and, where the method allows, every step. Higher means more anomalous. */
    Scores score(SequenceSet sequences, ProgressListener p);

    /**
     * True when {@link #fit} itself leaves fraud-labelled users out of its normal-behaviour training
     * (when {@link FitOptions#excludeFraud()}) and wants to see them, e.g. to train a supervised head
     * on the labelled fraud users; callers then pass every user. False (default): callers remove them.
     */
    default boolean excludesFraudItself() {
        return false;
    }

    /**
     * A user-score threshold the detector took from its own training users, for workspaces without labels
     * (flag users scoring {@code >=} it), or NaN when it has none. Labels, when they exist, calibrate instead.
     */
    default double unsupervisedThreshold() {
        return Double.NaN;
    }

    /** How {@link #unsupervisedThreshold()} was chosen, in words (empty when there is none). */
    default String unsupervisedThresholdMethod() {
        return "";
    }

    /** Writes a self-contained model file (see {@link ModelFile}). */
    void save(Path file) throws IOException;
}
