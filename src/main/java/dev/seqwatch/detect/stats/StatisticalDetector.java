package dev.seqwatch.detect.stats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.vector.Bin;
import dev.seqwatch.detect.vector.RobustScaler;
import dev.seqwatch.detect.vector.VectorDetector;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserSequence;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Statistical baseline on the per-user feature vector (rates, time gaps, amounts, action mix).
 * {@code method=iqr} (default): distance outside Tukey's box {@code [Q1, Q3]} in IQR units (Tukey's
 * outlier rule flags 1.5); {@code method=z}: robust z-score per feature, {@code (x - median) / (IQR / 1.349)}.
 * IQR won on a generated 20k-user session (ROC-AUC 0.897 / PR-AUC 0.397 against z's 0.876 / 0.341):
 * it does not count the ordinary spread inside the box, so fewer normal users pile up small deviations. User score: mean of the {@code top} (default 3) largest per-feature deviations, so
 * one extreme feature counts but two or three together count more.
 * Step scores: the robust |z| of the step's log time gap against all training gaps, or of its amount
 * against all training amounts, whichever is larger (NaN for a first event without amount).
 */
public final class StatisticalDetector extends VectorDetector {
    public static final String NAME = "zscore";
    private static final String ENTRY = "stats.bin";

    private String method = "iqr";
    private int top = 3;
    private double[] q1;  // per column, in scaled space
    private double[] q3;
    private double[] step; // gap median, gap scale, amount median, amount scale (log1p space)

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected void readParams(FitOptions o) {
        method = o.params().getOrDefault("method", method);
        top = o.intParam("top", top);
        validate();
    }

    private void validate() {
        if (!List.of("z", "iqr").contains(method)) {
            throw badParam(NAME, "method must be z or iqr, was '" + method + "'");
        }
        if (top < 1) {
            throw badParam(NAME, "top must be >= 1, was " + top);
        }
    }

    @Override
    protected void fitVectors(double[][] z, SequenceSet train, FitOptions o, ProgressListener p) {
        int d = z[0].length;
        q1 = new double[d];
        q3 = new double[d];
        double[] col = new double[z.length];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < z.length; i++) {
                col[i] = z[i][j];
            }
            Arrays.sort(col);
            q1[j] = RobustScaler.quantile(col, 0.25);
            q3[j] = RobustScaler.quantile(col, 0.75);
        }
        // population distributions of gaps and amounts for step scores (at most ~1M samples)
        long total = train.totalEvents();
        int stride = (int) Math.max(1, total / 1_000_000);
        double[] gaps = new double[(int) (total / stride) + 2];
        double[] amounts = new double[gaps.length];
        int ng = 0;
        int na = 0;
        long k = 0;
        for (UserSequence u : train.users()) {
            for (int i = 0; i < u.length(); i++) {
                if (k++ % stride != 0) {
                    continue;
                }
                if (i > 0 && ng < gaps.length) {
                    gaps[ng++] = Math.log1p(Math.max(0, u.gapMillis(i)) / 1000.0);
                }
                if (!Double.isNaN(u.amount(i)) && na < amounts.length) {
                    amounts[na++] = Math.log1p(Math.abs(u.amount(i)));
                }
            }
        }
        step = new double[4];
        fitLocationScale(Arrays.copyOf(gaps, ng), step, 0);
        fitLocationScale(Arrays.copyOf(amounts, na), step, 2);
    }

    private static void fitLocationScale(double[] v, double[] out, int at) {
        RobustScaler s = RobustScaler.fit(column(v));
        out[at] = v.length == 0 ? 0 : s.median()[0];
        out[at + 1] = v.length == 0 ? 1 : s.scale()[0];
    }

    private static double[][] column(double[] v) {
        double[][] x = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            x[i][0] = v[i];
        }
        return x;
    }

    @Override
    protected double[] scoreVectors(double[][] z, SequenceSet s, ProgressListener p) {
        double[] out = new double[z.length];
        int d = q1.length;
        double[] dev = new double[d];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < d; j++) {
                if (method.equals("z")) {
                    dev[j] = Math.abs(z[i][j]);
                } else {
                    double iqr = q3[j] - q1[j];
                    if (!(iqr > 1e-12)) {
                        iqr = 1;
                    }
                    dev[j] = Math.max(0, Math.max(z[i][j] - q3[j], q1[j] - z[i][j]) / iqr);
                }
            }
            out[i] = topMean(dev, top);
        }
        return out;
    }

    /** Mean of the {@code k} largest values. */
    static double topMean(double[] v, int k) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = Math.min(k, s.length);
        double sum = 0;
        for (int i = s.length - m; i < s.length; i++) {
            sum += s[i];
        }
        return m == 0 ? 0 : sum / m;
    }

    @Override
    protected double[] stepScores(SequenceSet s, int idx) {
        UserSequence u = s.users().get(idx);
        double[] out = new double[u.length()];
        for (int i = 0; i < u.length(); i++) {
            double sc = Double.NaN;
            if (i > 0) {
                sc = Math.abs(Math.log1p(Math.max(0, u.gapMillis(i)) / 1000.0) - step[0]) / step[1];
            }
            if (!Double.isNaN(u.amount(i))) {
                double za = Math.abs(Math.log1p(Math.abs(u.amount(i))) - step[2]) / step[3];
                sc = Double.isNaN(sc) ? za : Math.max(sc, za);
            }
            out[i] = sc;
        }
        return out;
    }

    @Override
    protected void writeParams(ObjectNode params) {
        params.put("method", method);
        params.put("top", top);
    }

    @Override
    protected void writeEntries(Map<String, byte[]> entries) {
        entries.put(ENTRY, new Bin().doubles(q1).doubles(q3).doubles(step).toByteArray());
    }

    @Override
    protected void readModel(ModelFile f) {
        method = f.manifest().path("params").path("method").asText("iqr");
        top = f.manifest().path("params").path("top").asInt(3);
        validate();
        Bin.Reader r = new Bin.Reader(f.entry(ENTRY), ENTRY);
        q1 = r.doubles();
        q3 = r.doubles();
        step = r.doubles();
        if (q1.length != features.dimension() || q3.length != q1.length || step.length != 4) {
            throw badParam(NAME, "damaged model: statistics do not match the feature schema");
        }
    }

    public static StatisticalDetector load(ModelFile f) {
        return loadInto(new StatisticalDetector(), f);
    }
}
