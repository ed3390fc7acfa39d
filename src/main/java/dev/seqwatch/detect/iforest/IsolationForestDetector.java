package dev.seqwatch.detect.iforest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.vector.Bin;
import dev.seqwatch.detect.vector.VectorDetector;
import dev.seqwatch.sequence.SequenceSet;

import java.util.Map;
import java.util.stream.IntStream;

/**
 * Isolation Forest on per-user feature vectors ({@link IsolationForest}); parameters
 * {@code trees} (default 200), {@code sample} (psi, default 256). The seed of {@link FitOptions}
 * makes the forest reproducible. User score = s(x) in (0, 1]; no step scores.
 */
public final class IsolationForestDetector extends VectorDetector {
    public static final String NAME = "iforest";
    private static final String ENTRY = "forest.bin";

    private int trees = 200;
    private int sample = 256;
    private IsolationForest forest;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void readParams(FitOptions o) {
        trees = o.intParam("trees", trees);
        sample = o.intParam("sample", sample);
        validate();
    }

    private void validate() {
        if (trees < 1 || trees > 10_000) {
            throw badParam(NAME, "trees must be 1..10000, was " + trees);
        }
        if (sample < 2) {
            throw badParam(NAME, "sample must be >= 2, was " + sample);
        }
    }

    @Override
    protected void fitVectors(double[][] z, SequenceSet train, FitOptions o, ProgressListener p) {
        forest = IsolationForest.fit(z, trees, sample, o.seed());
    }

    @Override
    protected double[] scoreVectors(double[][] z, SequenceSet s, ProgressListener p) {
        double[] out = new double[z.length];
        IntStream.range(0, z.length).parallel().forEach(i -> out[i] = forest.score(z[i]));
        return out;
    }

    @Override
    protected void writeParams(ObjectNode params) {
        params.put("trees", trees);
        params.put("sample", sample);
    }

    @Override
    protected void writeEntries(Map<String, byte[]> entries) {
        entries.put(ENTRY, new Bin().ints(new int[]{forest.psi}).ints(forest.roots).ints(forest.feature)
                .doubles(forest.split).ints(forest.left).ints(forest.right).ints(forest.size).toByteArray());
    }

    @Override
    protected void readModel(ModelFile f) {
        trees = f.manifest().path("params").path("trees").asInt(trees);
        sample = f.manifest().path("params").path("sample").asInt(sample);
        validate();
        Bin.Reader r = new Bin.Reader(f.entry(ENTRY), ENTRY);
        int psi = r.ints()[0];
        int[] roots = r.ints();
        int[] feature = r.ints();
        double[] split = r.doubles();
        int[] left = r.ints();
        int[] right = r.ints();
        int[] size = r.ints();
        int n = feature.length;
        if (split.length != n || left.length != n || right.length != n || size.length != n) {
            throw badParam(NAME, "damaged model: tree arrays differ in length");
        }
        for (int i = 0; i < n; i++) {
            if (feature[i] >= features.dimension() || (feature[i] >= 0 && (left[i] <= i || right[i] <= i
                    || left[i] >= n || right[i] >= n))) {
                throw badParam(NAME, "damaged model: bad tree node " + i);
            }
        }
        for (int root : roots) {
            if (root < 0 || root >= n) {
                throw badParam(NAME, "damaged model: bad tree root");
            }
        }
        forest = new IsolationForest(psi, roots, feature, split, left, right, size);
    }

    public static IsolationForestDetector load(ModelFile f) {
        return loadInto(new IsolationForestDetector(), f);
    }
}
