package dev.seqwatch.detect.vector;

import java.util.Arrays;

/**
 * Per-column robust standardisation: {@code (x - median) / scale}, where scale is IQR / 1.349
 * (the standard deviation for normal data), else 1.4826 MAD, else the standard deviation, else 1,
 * so that a column that is constant for most users does not divide by zero.
 */
public final class RobustScaler {
    private final double[] median;
    private final double[] scale;

    public RobustScaler(double[] median, double[] scale) {
        this.median = median.clone();
        this.scale = scale.clone();
    }

    public static RobustScaler fit(double[][] x) {
        int d = x.length == 0 ? 0 : x[0].length;
        double[] med = new double[d];
        double[] sc = new double[d];
        double[] col = new double[x.length];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < x.length; i++) {
                col[i] = x[i][j];
            }
            Arrays.sort(col);
            med[j] = quantile(col, 0.5);
            double iqr = quantile(col, 0.75) - quantile(col, 0.25);
            double s = iqr / 1.349;
            if (!(s > 1e-12)) {
                double[] dev = new double[col.length];
                for (int i = 0; i < col.length; i++) {
                    dev[i] = Math.abs(col[i] - med[j]);
                }
                Arrays.sort(dev);
                s = 1.4826 * quantile(dev, 0.5);
            }
            if (!(s > 1e-12)) {
                double mean = Arrays.stream(col).average().orElse(0);
                s = Math.sqrt(Arrays.stream(col).map(v -> (v - mean) * (v - mean)).average().orElse(0));
            }
            sc[j] = s > 1e-12 ? s : 1.0;
        }
        return new RobustScaler(med, sc);
    }

    /** Linear-interpolated quantile of a sorted array (numpy's default). */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    public double[] transform(double[] row) {
        double[] z = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            z[j] = (row[j] - median[j]) / scale[j];
        }
        return z;
    }

    public double[][] transform(double[][] x) {
        double[][] z = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            z[i] = transform(x[i]);
        }
        return z;
    }

    public double[] median() {
        return median.clone();
    }

    public double[] scale() {
        return scale.clone();
    }

    public int dimension() {
        return median.length;
    }
}
