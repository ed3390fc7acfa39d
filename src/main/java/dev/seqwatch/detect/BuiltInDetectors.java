package dev.seqwatch.detect;

import dev.seqwatch.detect.autoencoder.AutoencoderDetector;
import dev.seqwatch.detect.ensemble.EnsembleDetector;
import dev.seqwatch.detect.iforest.IsolationForestDetector;
import dev.seqwatch.detect.lof.LofDetector;
import dev.seqwatch.detect.lstm.LstmDetector;
import dev.seqwatch.detect.markov.MarkovDetector;
import dev.seqwatch.detect.ngram.NgramDetector;
import dev.seqwatch.detect.stats.StatisticalDetector;
import dev.seqwatch.detect.transformer.TransformerDetector;

/** The single place where built-in detectors are registered (one line each). */
final class BuiltInDetectors {
    private BuiltInDetectors() {
    }

    static void registerAll(DetectorRegistry r) {
        r.register(new DetectorRegistry.Entry(LstmDetector.NAME,
                "LSTM next-event model (CPU: Java kernels; CUDA: ND4J lstmLayer), per-step scores", LstmDetector::new,
                LstmDetector::load));
        r.register(new DetectorRegistry.Entry(TransformerDetector.NAME,
                "causal Transformer next-event model (DL4J SameDiff), per-step scores", TransformerDetector::new,
                TransformerDetector::load));
        r.register(new DetectorRegistry.Entry("markov", "first-order Markov transitions", MarkovDetector::new, MarkovDetector::load));
        r.register(new DetectorRegistry.Entry(NgramDetector.NAME, "STIDE: unseen n-grams of actions (classic sequence baseline)", NgramDetector::new, NgramDetector::load));
        r.register(new DetectorRegistry.Entry("zscore", "robust z-score / IQR on per-user rates, gaps, amounts, action mix", StatisticalDetector::new, StatisticalDetector::load));
        r.register(new DetectorRegistry.Entry("iforest", "Isolation Forest on per-user feature vectors", IsolationForestDetector::new, IsolationForestDetector::load));
        r.register(new DetectorRegistry.Entry("lof", "Local Outlier Factor on per-user feature vectors", LofDetector::new, LofDetector::load));
        r.register(new DetectorRegistry.Entry("autoencoder", "DL4J autoencoder on per-user feature vectors", AutoencoderDetector::new, AutoencoderDetector::load));
        r.register(new DetectorRegistry.Entry("ensemble", "trainable ensemble of other detectors (stacked with labels, else rank average)", EnsembleDetector::new, EnsembleDetector::load));
    }
}
