package dev.seqwatch.evaluate;

import java.util.Arrays;

/**
 * Every operating point of a scorer on labelled users, built once in O(n log n) and queried in
 * O(log n): {@link #at(double)} answers "flag everyone with score &gt;= t" with counts, precision,
 * recall and F1, fast enough for a threshold slider over 10^5 users.
 *
 * <p>Definitions (the scikit-learn ones, so results can be checked against it):
 * <ul>
 * <li>a user is flagged when {@code score >= threshold}; higher scores are more anomalous;</li>
 * <li>ROC-AUC is the area under the ROC curve by the trapezoid rule over distinct thresholds, which
 *     equals the Mann-Whitney statistic with tied scores counted as half ({@code roc_auc_score});</li>
 * <li>PR-AUC is <b>average precision</b>: {@code sum_n (R_n - R_{n-1}) P_n} over distinct thresholds
 *     from high to low, no interpolation ({@code average_precision_score}), not the trapezoid
 *     area under the PR curve;</li>
 * <li>precision with nothing flagged is defined as 1 (as in sklearn's curve end point) for the
 *     curve, and as 0 in {@link Point#precision()} of {@link #at(double)} (nothing flagged, nothing right);</li>
 * <li>NaN scores count as the least anomalous possible score.</li>
 * </ul>
 */
public final class ThresholdCurve {
    private final double[] thresholds; // distinct scores, descending
    private final int[] tp;            // cumulative true positives flagged at thresholds[i]
    private final int[] fp;            // cumulative false positives flagged at thresholds[i]
    private final int positives;
    private final int negatives;

    /** One operating point: flag every user with {@code score >= threshold}. */
    public record Point(double threshold, int flagged, int truePositives, int falsePositives, int positives,
                        int negatives) {
        public double precision() {
            return flagged == 0 ? 0.0 : (double) truePositives / flagged;
        }

        public double recall() {
            return positives == 0 ? 0.0 : (double) truePositives / positives;
        }

        public double f1() {
            int denom = flagged + positives; // 2TP + FP + FN
            return denom == 0 ? 0.0 : 2.0 * truePositives / denom;
        }

        public double falsePositiveRate() {
            return negatives == 0 ? 0.0 : (double) falsePositives / negatives;
        }
    }

    private ThresholdCurve(double[] thresholds, int[] tp, int[] fp, int positives, int negatives) {
        this.thresholds = thresholds;
        this.tp = tp;
        this.fp = fp;
        this.positives = positives;
        this.negatives = negatives;
    }

    /** @param scores higher = more anomalous; @param fraud true for positives; same length */
    public static ThresholdCurve of(double[] scores, boolean[] fraud) {
        if (scores.length != fraud.length) {
            throw new IllegalArgumentException("scores and labels differ in length: " + scores.length + " vs " + fraud.length);
        }
        int p = 0;
        for (boolean f : fraud) {
            if (f) {
                p++;
            }
        }
        double[] pos = new double[p];
        double[] neg = new double[scores.length - p];
        int ip = 0;
        int in = 0;
        for (int i = 0; i < scores.length; i++) {
            double s = Double.isNaN(scores[i]) ? Double.NEGATIVE_INFINITY : scores[i];
            if (fraud[i]) {
                pos[ip++] = s;
            } else {
                neg[in++] = s;
            }
        }
        // two primitive sorts and a merge from the top: no boxing, ~10 ms for 10^6 users
        Arrays.sort(pos);
        Arrays.sort(neg);
        double[] thr = new double[scores.length];
        int[] ctp = new int[scores.length];
        int[] cfp = new int[scores.length];
        int a = pos.length - 1;
        int b = neg.length - 1;
        int n = 0;
        int t = 0;
        int f = 0;
        while (a >= 0 || b >= 0) {
            double s;
            if (a < 0) {
                s = neg[b];
            } else if (b < 0) {
                s = pos[a];
            } else {
                s = Math.max(pos[a], neg[b]);
            }
            while (a >= 0 && Double.compare(pos[a], s) == 0) {
                t++;
                a--;
            }
            while (b >= 0 && Double.compare(neg[b], s) == 0) {
                f++;
                b--;
            }
            thr[n] = s;
            ctp[n] = t;
            cfp[n] = f;
            n++;
        }
        return new ThresholdCurve(Arrays.copyOf(thr, n), Arrays.copyOf(ctp, n), Arrays.copyOf(cfp, n), p, scores.length - p);
    }

    public int positives() {
        return positives;
    }

    public int negatives() {
        return negatives;
    }

    public int size() {
        return positives + negatives;
    }

    /** Number of distinct scores (= operating points other than "flag nobody"). */
    public int distinctThresholds() {
        return thresholds.length;
    }

    /** The distinct threshold {@code i}, from the highest score (i = 0) down. */
    public double threshold(int i) {
        return thresholds[i];
    }

    public Point point(int i) {
        return new Point(thresholds[i], tp[i] + fp[i], tp[i], fp[i], positives, negatives);
    }

    /** Flag every user with {@code score >= threshold}. O(log n). */
    public Point at(double threshold) {
        int k = countAtLeast(threshold);
        if (k == 0) {
            return new Point(threshold, 0, 0, 0, positives, negatives);
        }
        return new Point(threshold, tp[k - 1] + fp[k - 1], tp[k - 1], fp[k - 1], positives, negatives);
    }

    /** How many distinct thresholds are {@code >= t} (binary search on the descending array). */
    private int countAtLeast(double t) {
        int lo = 0;
        int hi = thresholds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (thresholds[mid] >= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** ROC-AUC (ties count half); NaN when only one class is present. */
    public double rocAuc() {
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double area = 0;
        long prevTp = 0;
        long prevFp = 0;
        for (int i = 0; i < thresholds.length; i++) {
            area += (double) (fp[i] - prevFp) * (tp[i] + prevTp) / 2.0;
            prevTp = tp[i];
            prevFp = fp[i];
        }
        return area / ((double) positives * negatives);
    }

    /** Average precision (sklearn's {@code average_precision_score}); NaN without positives. */
    public double averagePrecision() {
        if (positives == 0) {
            return Double.NaN;
        }
        double ap = 0;
        int prevTp = 0;
        for (int i = 0; i < thresholds.length; i++) {
            if (tp[i] != prevTp) {
                ap += (double) (tp[i] - prevTp) / positives * tp[i] / (tp[i] + fp[i]);
                prevTp = tp[i];
            }
        }
        return ap;
    }

    /**
     * Precision among the {@code k} highest scores. Users tied with the k-th score share the
     * remaining places in proportion, so the value does not depend on an arbitrary tie order.
     */
    public double precisionAtK(int k) {
        if (k <= 0) {
            return Double.NaN;
        }
        int kk = Math.min(k, size());
        double hits = 0;
        int prevTp = 0;
        int prevN = 0;
        for (int i = 0; i < thresholds.length; i++) {
            int n = tp[i] + fp[i];
            if (n >= kk) {
                int inGroup = n - prevN;
                hits = prevTp + (double) (tp[i] - prevTp) * (kk - prevN) / inGroup;
                break;
            }
            prevTp = tp[i];
            prevN = n;
        }
        return hits / kk;
    }

    /** The operating point with the highest F1 (the highest threshold among equals); null without positives. */
    public Point bestF1() {
        if (positives == 0 || thresholds.length == 0) {
            return null;
        }
        int best = 0;
        double bestF1 = -1;
        for (int i = 0; i < thresholds.length; i++) {
            double f1 = 2.0 * tp[i] / (tp[i] + fp[i] + positives);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = i;
            }
        }
        return point(best);
    }

    /** The lowest threshold that still flags at most {@code maxFlagged} users (NaN if even the top score flags more). */
    public double thresholdForAtMost(int maxFlagged) {
        double t = Double.NaN;
        for (int i = 0; i < thresholds.length && tp[i] + fp[i] <= maxFlagged; i++) {
            t = thresholds[i];
        }
        return t;
    }

    /** PR curve as {recall[], precision[]}, from the highest threshold down, starting at (0, 1) like sklearn. */
    public double[][] prCurve() {
        int n = thresholds.length;
        double[] r = new double[n + 1];
        double[] pr = new double[n + 1];
        r[0] = 0;
        pr[0] = 1;
        for (int i = 0; i < n; i++) {
            r[i + 1] = positives == 0 ? 0 : (double) tp[i] / positives;
            pr[i + 1] = (double) tp[i] / (tp[i] + fp[i]);
        }
        return new double[][]{r, pr};
    }

    /** ROC curve as {fpr[], tpr[]}, starting at (0, 0). */
    public double[][] rocCurve() {
        int n = thresholds.length;
        double[] x = new double[n + 1];
        double[] y = new double[n + 1];
        for (int i = 0; i < n; i++) {
            x[i + 1] = negatives == 0 ? 0 : (double) fp[i] / negatives;
            y[i + 1] = positives == 0 ? 0 : (double) tp[i] / positives;
        }
        return new double[][]{x, y};
    }
}
