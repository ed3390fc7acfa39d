package dev.seqwatch.ui.thresholds;

import dev.seqwatch.common.LabelSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Flagged counts and precision / recall / F1 at any user-score threshold, precomputed so that a
 * slider move costs one binary search: scores sorted descending with running counts of labelled
 * fraud and labelled normal users. Precision counts labelled users only (unlabelled users are unknown).
 */
public final class ThresholdTable {
    private final double[] desc;
    private final int[] cumFraud;
    private final int[] cumNormal;
    private final int totalFraud;
    private final int totalNormal;

    /** The figures at one threshold; precision, recall and F1 are NaN without labels. */
    public record Point(double threshold, int flagged, int tp, int fp, int fn, double precision, double recall, double f1) {
    }

    /** @param scores user scores in any order; {@code fraud[i]} is TRUE/FALSE for labelled users, null otherwise */
    public ThresholdTable(double[] scores, Boolean[] fraud) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        desc = new double[n];
        cumFraud = new int[n + 1];
        cumNormal = new int[n + 1];
        for (int k = 0; k < n; k++) {
            int i = order[k];
            desc[k] = scores[i];
            Boolean f = fraud[i];
            cumFraud[k + 1] = cumFraud[k] + (Boolean.TRUE.equals(f) ? 1 : 0);
            cumNormal[k + 1] = cumNormal[k] + (Boolean.FALSE.equals(f) ? 1 : 0);
        }
        totalFraud = cumFraud[n];
        totalNormal = cumNormal[n];
    }

    public static ThresholdTable of(List<String> users, double[] scores, LabelSet labels) {
        Boolean[] f = new Boolean[users.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = labels.isFraud(users.get(i));
        }
        return new ThresholdTable(scores, f);
    }

    public int size() {
        return desc.length;
    }

    /** True when precision and recall can be computed: at least one fraud and one labelled user. */
    public boolean hasLabels() {
        return totalFraud > 0;
    }

    public int labelledFraud() {
        return totalFraud;
    }

    public int labelledNormal() {
        return totalNormal;
    }

    public double min() {
        return desc.length == 0 ? 0 : desc[desc.length - 1];
    }

    public double max() {
        return desc.length == 0 ? 1 : desc[0];
    }

    /** Number of users with score >= t. */
    public int flaggedAt(double t) {
        int lo = 0;
        int hi = desc.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (desc[mid] >= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public Point at(double t) {
        return pointAtRank(t, flaggedAt(t));
    }

    private Point pointAtRank(double t, int k) {
        int tp = cumFraud[k];
        int fp = cumNormal[k];
        int fn = totalFraud - tp;
        double p = tp + fp == 0 ? (totalFraud == 0 ? Double.NaN : 1.0) : (double) tp / (tp + fp);
        double r = totalFraud == 0 ? Double.NaN : (double) tp / totalFraud;
        double f1 = Double.isNaN(p) || Double.isNaN(r) || p + r == 0 ? (Double.isNaN(r) ? Double.NaN : 0) : 2 * p * r / (p + r);
        return new Point(t, k, tp, fp, fn, p, r, f1);
    }

    /** The score of rank {@code k} (1-based), clamped. */
    public double scoreAtRank(int k) {
        if (desc.length == 0) {
            return 0;
        }
        return desc[Math.max(0, Math.min(desc.length, k) - 1)];
    }

    /** Points at each threshold where a labelled user enters, at most {@code maxPoints} (for the PR chart). */
    public List<Point> curve(int maxPoints) {
        List<Point> all = new ArrayList<>();
        for (int k = 1; k <= desc.length; k++) {
            boolean labelled = cumFraud[k] + cumNormal[k] != cumFraud[k - 1] + cumNormal[k - 1];
            boolean lastOfTie = k == desc.length || desc[k] != desc[k - 1];
            if (labelled && lastOfTie) {
                all.add(pointAtRank(desc[k - 1], k));
            }
        }
        if (all.size() <= maxPoints) {
            return all;
        }
        List<Point> out = new ArrayList<>(maxPoints);
        for (int i = 0; i < maxPoints; i++) {
            out.add(all.get((int) ((long) i * (all.size() - 1) / (maxPoints - 1))));
        }
        return out;
    }

    /** The threshold with the best F1 over labelled users, or NaN without labels. */
    public double bestF1Threshold() {
        double best = -1;
        double t = Double.NaN;
        for (Point p : curve(Integer.MAX_VALUE)) {
            if (p.f1() > best) {
                best = p.f1();
                t = p.threshold();
            }
        }
        return t;
    }
}
