package dev.seqwatch.spark;

import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.Detector;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.ensemble.EnsembleDetector;
import dev.seqwatch.detect.iforest.IsolationForestDetector;
import dev.seqwatch.detect.lof.LofDetector;
import dev.seqwatch.detect.lstm.LstmDetector;
import dev.seqwatch.detect.markov.MarkovDetector;
import dev.seqwatch.detect.ngram.NgramDetector;
import dev.seqwatch.detect.stats.StatisticalDetector;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The models the Spark job can score: the detectors whose scoring is plain Java (the LSTM's CPU engine is
 * Java kernels; Markov, n-gram, z-score, Isolation Forest, LOF). The autoencoder scores through DL4J / ND4J
 * native code, which the job does not carry. Ensembles are refused too: {@code EnsembleDetector.load} loads its
 * members through {@code DetectorRegistry.standard()}, whose autoencoder entry needs DL4J classes just to be
 * registered. Such models are refused on the driver, before any task starts, with what to do instead.
 */
final class JobModels {
    static final Set<String> PURE_JAVA = Set.of(LstmDetector.NAME, MarkovDetector.NAME, NgramDetector.NAME,
            StatisticalDetector.NAME, IsolationForestDetector.NAME, LofDetector.NAME);

    /** A model read and fully loaded once on the driver: what the tasks get, and what the summary says. */
    record Checked(String source, byte[] bytes, String sha256, String detector, double threshold, String thresholdSource) {
    }

    private static final ThreadLocal<Object[]> CACHE = new ThreadLocal<>();

    private JobModels() {
    }

    static DetectorRegistry registry() {
        DetectorRegistry r = new DetectorRegistry();
        r.register(new DetectorRegistry.Entry(LstmDetector.NAME, "LSTM (Java kernels)", LstmDetector::new, LstmDetector::load));
        r.register(new DetectorRegistry.Entry(MarkovDetector.NAME, "Markov", MarkovDetector::new, MarkovDetector::load));
        r.register(new DetectorRegistry.Entry(NgramDetector.NAME, "n-gram", NgramDetector::new, NgramDetector::load));
        r.register(new DetectorRegistry.Entry(StatisticalDetector.NAME, "z-score", StatisticalDetector::new, StatisticalDetector::load));
        r.register(new DetectorRegistry.Entry(IsolationForestDetector.NAME, "Isolation Forest", IsolationForestDetector::new,
                IsolationForestDetector::load));
        r.register(new DetectorRegistry.Entry(LofDetector.NAME, "LOF", LofDetector::new, LofDetector::load));
        return r;
    }

    /**
     * Reads and loads the model on the driver: a missing, truncated, tampered (bad CRC, inconsistent shapes,
     * a hash other than {@code expectedSha256}) or unsupported model is refused here, before any task starts.
     *
     * @param thresholdOverride NaN: the model's calibrated threshold (if any)
     */
    static Checked check(String source, byte[] bytes, String expectedSha256, double thresholdOverride) {
        String sha = sha256(bytes);
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha)) {
            throw new UserFacingException(source + ": refused, the model's SHA-256 is " + sha + ", not the expected "
                    + expectedSha256.toLowerCase(java.util.Locale.ROOT) + " (--model-sha256): the file was changed");
        }
        ModelFile mf = ModelFile.read(bytes, source);
        refuseUnsupported(mf, source);
        Detector d = registry().load(mf, source);
        double cal = mf.manifest().path("calibration").path("threshold").asDouble(Double.NaN);
        double t = Double.isNaN(thresholdOverride) ? cal : thresholdOverride;
        String ts = !Double.isNaN(thresholdOverride) ? "given (--threshold)"
                : Double.isNaN(cal) ? "none (the model has no calibrated threshold; pass --threshold)" : "calibrated (model file)";
        return new Checked(source, bytes, sha, d.name(), t, ts);
    }

    private static void refuseUnsupported(ModelFile mf, String source) {
        String det = mf.detector();
        if (!PURE_JAVA.contains(det)) {
            throw new UserFacingException(source + ": the Spark job cannot score a '" + det + "' model"
                    + ("autoencoder".equals(det) ? " (it runs on DL4J/ND4J native code, which the job does not carry)"
                    : EnsembleDetector.NAME.equals(det) ? " (ensembles load their members through the desktop's full"
                    + " detector registry, which needs DL4J)" : "")
                    + "; it scores " + String.join(", ", new java.util.TreeSet<>(PURE_JAVA))
                    + ". Score this model with `seqwatch score` on one machine, or train one of those for the cluster");
        }
    }

    /** The loaded detector on an executor: loaded once per task thread (detectors are not shared between threads). */
    static Detector onExecutor(byte[] bytes, String sha256, String source) {
        Object[] c = CACHE.get();
        if (c != null && c[0].equals(sha256)) {
            return (Detector) c[1];
        }
        if (!sha256(bytes).equals(sha256)) {
            throw new IllegalStateException("the model bytes changed between the driver and this executor");
        }
        Detector d = registry().load(ModelFile.read(bytes, source), source);
        CACHE.set(new Object[]{sha256, d});
        return d;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
