package dev.seqwatch.detect.lstm;

/**
 * A small L2-regularised logistic regression on standardised per-user features, trained on labelled
 * users by full-batch gradient descent. Written by hand: a dozen features and a few thousand users do
 * not justify another ML dependency, and every step is deterministic.
 */
public final class LogisticHead {
    public final double[] mean;
    public final double[] std;
    public final double[] w; // last entry is the intercept

    public LogisticHead(double[] mean, double[] std, double[] w) {
        this.mean = mean;
        this.std = std;
        this.w = w;
    }

    public static LogisticHead fit(double[][] x, boolean[] y, double l2, int iterations) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (double[] r : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / n;
            }
        }
        for (double[] r : x) {
            for (int j = 0; j < d; j++) {
                std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j]) + 1e-9;
        }
        int pos = 0;
        for (boolean b : y) {
            pos += b ? 1 : 0;
        }
        // class weights so that a rare fraud class is not ignored
        double wPos = n / (2.0 * Math.max(1, pos));
        double wNeg = n / (2.0 * Math.max(1, n - pos));
        double[] w = new double[d + 1];
        double lr = 0.5;
        for (int it = 0; it < iterations; it++) {
            double[] g = new double[d + 1];
            for (int i = 0; i < n; i++) {
                double z = w[d];
                for (int j = 0; j < d; j++) {
                    z += w[j] * (x[i][j] - mean[j]) / std[j];
                }
                double p = 1 / (1 + Math.exp(-z));
                double err = (p - (y[i] ? 1 : 0)) * (y[i] ? wPos : wNeg);
                for (int j = 0; j < d; j++) {
                    g[j] += err * (x[i][j] - mean[j]) / std[j] / n;
                }
                g[d] += err / n;
            }
            for (int j = 0; j < d; j++) {
                g[j] += l2 * w[j];
            }
            for (int j = 0; j <= d; j++) {
                w[j] -= lr * g[j];
            }
        }
        return new LogisticHead(mean, std, w);
    }

    /** The logit (log-odds of fraud). */
    double logit(double[] f) {
        int d = mean.length;
        double z = w[d];
        for (int j = 0; j < d; j++) {
            z += w[j] * (f[j] - mean[j]) / std[j];
        }
        return z;
    }

    /**
     * A head read from a model file: the arrays must fit one another and hold finite numbers, every
     * std positive ({@link #fit} never writes anything else), else IllegalArgumentException.
     */
    static LogisticHead loaded(double[] mean, double[] std, double[] w) {
        if (std.length != mean.length || w.length != mean.length + 1) {
            throw new IllegalArgumentException("supervised head has " + mean.length + " means, " + std.length
                    + " stds and " + w.length + " weights (expected " + (mean.length + 1) + ")");
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j]) || !(std[j] > 0) || !Double.isFinite(std[j])) {
                throw new IllegalArgumentException("supervised head feature " + j + " has mean " + mean[j] + " and std "
                        + std[j] + " (a std must be positive and finite)");
            }
        }
        for (double x : w) {
            if (!Double.isFinite(x) || Math.abs(x) > 1e6) {
                throw new IllegalArgumentException("supervised head weight " + x + " is not a finite number below 1e6");
            }
        }
        return new LogisticHead(mean, std, w);
    }
}
