package dev.seqwatch.detect.lof;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Local Outlier Factor (Breunig et al. 2000) with Euclidean distance and exact brute-force
 * neighbours, written here because the JVM libraries that have it are GPL (Smile 3+) or AGPL
 * (ELKI). Matches scikit-learn's {@code LocalOutlierFactor}: on the reference points themselves
 * (a point is not its own neighbour) {@link #score} equals {@code -negative_outlier_factor_}; for
 * other points it is the novelty score {@code -score_samples}. lrd = 1 / (mean reach-distance + 1e-10)
 * as in scikit-learn, so duplicates do not divide by zero.
 */
public final class LocalOutlierFactor {
    final double[][] ref;
    final int k;
    final double[] kDistance;
    final double[] lrd;

    LocalOutlierFactor(double[][] ref, int k, double[] kDistance, double[] lrd) {
        this.ref = ref;
        this.k = k;
        this.kDistance = kDistance;
        this.lrd = lrd;
    }

    public static LocalOutlierFactor fit(double[][] ref, int k) {
        int n = ref.length;
        int kk = Math.min(k, n - 1);
        int[][] nbr = new int[n][];
        double[][] dist = new double[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            int[] idx = new int[kk];
            double[] d = new double[kk];
            neighbours(ref, ref[i], i, kk, idx, d);
            nbr[i] = idx;
            dist[i] = d;
        });
        double[] kd = new double[n];
        for (int i = 0; i < n; i++) {
            kd[i] = dist[i][kk - 1];
        }
        double[] lrd = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < kk; j++) {
                sum += Math.max(kd[nbr[i][j]], dist[i][j]);
            }
            lrd[i] = 1.0 / (sum / kk + 1e-10);
        }
        return new LocalOutlierFactor(ref, kk, kd, lrd);
    }

    /**
     * LOF of {@code q}; {@code self} is the index of q among the reference points (excluded from
     * its own neighbours), or -1.
     */
    public double score(double[] q, int self) {
        int[] idx = new int[k];
        double[] d = new double[k];
        neighbours(ref, q, self, k, idx, d);
        double reach = 0;
        double lrdSum = 0;
        for (int j = 0; j < k; j++) {
            reach += Math.max(kDistance[idx[j]], d[j]);
            lrdSum += lrd[idx[j]];
        }
        double lrdQ = 1.0 / (reach / k + 1e-10);
        return (lrdSum / k) / lrdQ;
    }

    /** The k nearest reference points of q (skipping index {@code skip}), ascending by distance. */
    static void neighbours(double[][] ref, double[] q, int skip, int k, int[] idx, double[] dist) {
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        Arrays.fill(idx, -1);
        int dim = q.length;
        for (int i = 0; i < ref.length; i++) {
            if (i == skip) {
                continue;
            }
            double[] r = ref[i];
            double worst = dist[k - 1];
            double s = 0;
            for (int j = 0; j < dim && s < worst; j++) {
                double t = r[j] - q[j];
                s += t * t;
            }
            if (s < worst) {
                // insertion into the sorted top-k (squared distances); ties keep the lower index first
                int p = k - 1;
                while (p > 0 && dist[p - 1] > s) {
                    dist[p] = dist[p - 1];
                    idx[p] = idx[p - 1];
                    p--;
                }
                dist[p] = s;
                idx[p] = i;
            }
        }
        for (int j = 0; j < k; j++) {
            dist[j] = Math.sqrt(dist[j]);
        }
    }
}
