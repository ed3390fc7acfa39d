package dev.seqwatch.detect.vector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.Detector;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.FitReport;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserFeatures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Common frame of the detectors that work on per-user feature vectors ({@link UserFeatures}):
 * the feature schema and a {@link RobustScaler} are fitted on the training users and saved with
 * the model; subclasses see robust-scaled vectors (clipped to +-{@value #CLIP}) and return one
 * score per user, higher = more anomalous.
 */
public abstract class VectorDetector implements Detector {
    public static final double CLIP = 50;
    private static final String SCALER = "scaler.bin";

    protected UserFeatures features;
    protected RobustScaler scaler;
    protected Map<String, Object> training = Map.of();

    /** Reads detector parameters from {@code o.params()} (validating them) before fitting. */
    protected abstract void readParams(FitOptions o);

    protected abstract void fitVectors(double[][] z, SequenceSet train, FitOptions o, ProgressListener p);

    protected abstract double[] scoreVectors(double[][] z, SequenceSet s, ProgressListener p);

    /** Per-step scores of user {@code i} of {@code s}, or null (the default: user-level only). */
    protected double[] stepScores(SequenceSet s, int i) {
        return null;
    }

    /** Training loss per epoch, for detectors that train in epochs. */
    protected List<Double> lossPerEpoch() {
        return List.of();
    }

    protected abstract void writeParams(ObjectNode params);

    protected abstract void writeEntries(Map<String, byte[]> entries);

    /** Restores parameters and trained state from a model file (features and scaler are already loaded). */
    protected abstract void readModel(ModelFile f);

    @Override
    public final FitReport fit(SequenceSet train, FitOptions o, ProgressListener p) {
        long t0 = System.currentTimeMillis();
        readParams(o);
        if (train.size() < 2) {
            throw new UserFacingException(name() + ": needs at least 2 users to train on, got " + train.size());
        }
        p.progress(0, "extracting features of " + train.size() + " users");
        features = UserFeatures.fit(train);
        double[][] x = features.extract(train);
        scaler = RobustScaler.fit(x);
        p.checkCancelled();
        fitVectors(scaled(x), train, o, p);
        Map<String, Object> tr = new LinkedHashMap<>();
        tr.put("users", train.size());
        tr.put("events", train.totalEvents());
        tr.put("features", features.dimension());
        this.training = tr;
        return new FitReport(name(), train.size(), train.totalEvents(), System.currentTimeMillis() - t0, lossPerEpoch(), Map.copyOf(tr));
    }

    protected double[][] scaled(double[][] x) {
        double[][] z = scaler.transform(x);
        for (double[] row : z) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.max(-CLIP, Math.min(CLIP, row[j]));
            }
        }
        return z;
    }

    @Override
    public final Scores score(SequenceSet s, ProgressListener p) {
        if (features == null) {
            throw new IllegalStateException(name() + ": score before fit or load");
        }
        double[][] z = scaled(features.extract(s));
        p.checkCancelled();
        double[] sc = scoreVectors(z, s, p);
        List<UserScores> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            out.add(new UserScores(s.users().get(i).userId(), sc[i], stepScores(s, i), null));
        }
        return new Scores(name(), List.of(), 0, out);
    }

    @Override
    public final void save(Path file) throws IOException {
        if (features == null) {
            throw new IllegalStateException(name() + ": save before fit");
        }
        ObjectNode m = ModelFile.newManifest(name());
        writeParams(m.putObject("params"));
        m.set("features", features.toJson(ModelFile.json()));
        m.set("training", ModelFile.json().valueToTree(training));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(SCALER, new Bin().doubles(scaler.median()).doubles(scaler.scale()).toByteArray());
        writeEntries(entries);
        ModelFile.write(file, m, entries);
    }

    /** Fills {@code d} from {@code f}: feature schema, scaler, then the subclass's state. */
    protected static <T extends VectorDetector> T loadInto(T d, ModelFile f) {
        if (!d.name().equals(f.detector())) {
            throw new UserFacingException("not a " + d.name() + " model (detector '" + f.detector() + "')");
        }
        d.features = UserFeatures.fromJson(f.manifest().get("features"));
        Bin.Reader r = new Bin.Reader(f.entry(SCALER), SCALER);
        double[] med = r.doubles();
        double[] sc = r.doubles();
        if (med.length != d.features.dimension() || sc.length != med.length) {
            throw new UserFacingException("damaged " + d.name() + " model: scaler has " + med.length
                    + " columns, features " + d.features.dimension());
        }
        for (int j = 0; j < med.length; j++) {
            if (!Double.isFinite(med[j]) || !Double.isFinite(sc[j]) || !(sc[j] > 1e-12)) {
                throw new UserFacingException("damaged " + d.name() + " model: scaler column " + j + " has median "
                        + med[j] + " and scale " + sc[j] + " (must be finite, scale positive)");
            }
        }
        d.scaler = new RobustScaler(med, sc);
        Map<String, Object> tr = new LinkedHashMap<>();
        f.manifest().path("training").fields().forEachRemaining(e -> tr.put(e.getKey(), e.getValue().isNumber()
                ? e.getValue().numberValue() : e.getValue().asText()));
        d.training = tr;
        d.readModel(f);
        return d;
    }

    protected static UserFacingException badParam(String detector, String message) {
        return new UserFacingException(detector + ": " + message);
    }
}
