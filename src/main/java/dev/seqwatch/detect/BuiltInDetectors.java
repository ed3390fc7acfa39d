package dev.seqwatch.detect;

import dev.seqwatch.detect.markov.MarkovDetector;

/** The single place where built-in detectors are registered (one line each). */
final class BuiltInDetectors {
    private BuiltInDetectors() {
    }

    static void registerAll(DetectorRegistry r) {
        r.register(new DetectorRegistry.Entry("markov", "first-order Markov transitions", MarkovDetector::new, MarkovDetector::load));
    }
}
