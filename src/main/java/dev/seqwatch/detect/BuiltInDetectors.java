package dev.seqwatch.detect;

/** The single place where built-in detectors are registered (one line each). */
final class BuiltInDetectors {
    private BuiltInDetectors() {
    }

    static void registerAll(DetectorRegistry r) {
        r.register(new DetectorRegistry.Entry(dev.seqwatch.detect.lstm.LstmDetector.NAME,
                "LSTM next-event model (DeepLearning4J), per-step scores", dev.seqwatch.detect.lstm.LstmDetector::new,
                dev.seqwatch.detect.lstm.LstmDetector::load));
        // detectors register here, e.g.
        // r.register(new DetectorRegistry.Entry("markov", "first-order Markov transitions", MarkovDetector::new, MarkovDetector::load));
    }
}
