package dev.seqwatch.detect;

import java.util.Map;
import java.util.Optional;

/**
 * The parameters of every built-in detector with their ranges, in one place: {@link DetectorRegistry}
 * checks {@code --param} values against these before training and a model file's stored parameters
 * before its detector reads them. A detector that gains a parameter adds it here (an unknown one is
 * refused). The ranges bound what a parameter can make the detector allocate or loop over (e.g.
 * {@code max_len=0} used to loop forever, {@code top_k=1e8} ran out of memory); each detector's own
 * checks of combinations (e.g. sizes against the stored arrays) come on top.
 */
public final class ParamSpecs {
    private ParamSpecs() {
    }

    /** A year, in minutes: the longest session gap any detector accepts. */
    static final double MAX_GAP_MINUTES = 366 * 24 * 60;

    private static final Map<String, ParamSpec> BUILT_IN = Map.of(
            "lstm", ParamSpec.of("lstm")
                    .integer("hidden", 1, 1024)
                    .integer("layers", 1, 4)
                    .integer("embed", 1, 512)
                    .integer("batch", 1, 4096).trainingOnly()
                    .integer("max_len", 2, 10_000)
                    .integer("top_k", 1, 100)
                    .integer("top_g", 1, 100_000)
                    .choice("aggregate", "max", "mean", "top5_mean", "p90", "sum", "topg_count", "topg_share", "mean_z", "two_sided")
                    .bool("gaps")
                    .real("session_gap_minutes", 0, MAX_GAP_MINUTES, false).trainingOnly()
                    .integer("session_gap_millis", 0, (long) (MAX_GAP_MINUTES * 60_000)).storedOnly()
                    .bool("categories")
                    .bool("amounts").trainingOnly()
                    .bool("complete_sessions")
                    .real("lr", 0, 1, true).trainingOnly()
                    .choice("supervised", "auto", "off").trainingOnly()
                    .real("threshold_quantile", 0, 1, true)
                    .real("validation", 0, 0.5, false).trainingOnly()
                    .integer("patience", 1, 1000).trainingOnly()
                    .integer("vocab", 1, 1_000_000).storedOnly(),
            "transformer", ParamSpec.of("transformer")
                    .integer("dim", 1, 1024)
                    .integer("layers", 1, 16)
                    .integer("heads", 1, 64)
                    .integer("ff", 1, 8192)
                    .integer("context", 2, 4096)
                    .integer("stride", 1, 4096)
                    .integer("batch", 1, 4096).trainingOnly()
                    .real("lr", 0, 1, true).trainingOnly()
                    .integer("top_k", 1, 100)
                    .integer("top_g", 1, 100_000)
                    .choice("aggregate", "max", "mean", "top5_mean", "p90", "sum", "topg_count", "topg_share")
                    .bool("gaps")
                    .real("session_gap_minutes", 0, MAX_GAP_MINUTES, false).trainingOnly()
                    .integer("session_gap_millis", 0, (long) (MAX_GAP_MINUTES * 60_000)).storedOnly()
                    .bool("categories")
                    .bool("amounts").trainingOnly()
                    .bool("complete_sessions")
                    .integer("vocab", 1, 1_000_000).storedOnly(),
            "markov", ParamSpec.of("markov")
                    .real("alpha", 0, 1e6, true)
                    .real("session_gap_minutes", 0, MAX_GAP_MINUTES, false)
                    .choice("aggregate", "topmean", "mean", "max")
                    .real("top_fraction", 0, 1, true)
                    .integer("top_k", 1, 20)
                    .bool("gap_tokens"),
            "ngram", ParamSpec.of("ngram")
                    .integer("n", 1, 10)
                    .real("session_gap_minutes", 0, MAX_GAP_MINUTES, false)
                    .choice("aggregate", "lfc", "rate")
                    .integer("frame", 1, 10_000)
                    .integer("top_k", 1, 20)
                    .integer("min_users", 1, 1_000_000),
            "zscore", ParamSpec.of("zscore")
                    .choice("method", "iqr", "z")
                    .integer("top", 1, 1_000),
            "iforest", ParamSpec.of("iforest")
                    .integer("trees", 1, 10_000)
                    .integer("sample", 2, 10_000_000),
            "lof", ParamSpec.of("lof")
                    .integer("k", 1, 10_000)
                    .integer("reference", 2, 10_000_000),
            "autoencoder", ParamSpec.of("autoencoder")
                    .integer("hidden", 1, 4096)
                    .integer("code", 1, 4096)
                    .integer("batch", 1, 65_536)
                    .real("lr", 0, 1, true)
                    .integer("epochs", 1, 100_000).storedOnly()
                    .text("backend").storedOnly(),
            "ensemble", ParamSpec.of("ensemble")
                    .text("members")
                    .choice("combination", "auto", "rank-average", "stacked", "pu")
                    .real("l2", 0, 1e9, true)
                    .real("normal_weight", 0, 1e6, false));

    /** The spec of a built-in detector, empty for another (a detector registered from elsewhere). */
    public static Optional<ParamSpec> builtIn(String detector) {
        return Optional.ofNullable(BUILT_IN.get(detector));
    }
}
