package dev.seqwatch.ui.thresholds;

import dev.seqwatch.common.LabelSet;
import dev.seqwatch.evaluate.LabelledScores;
import dev.seqwatch.evaluate.ThresholdCurve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the thresholds panel shows at any user-score threshold, answered by binary searches so that a
 * slider move costs O(log n): how many of all scored users are flagged, and precision / recall / F1 from
 * the same {@link ThresholdCurve} over the same {@link LabelledScores} that {@code seqwatch evaluate},
 * {@code compare} and the reports use, so the panel and a report never give two numbers for one
 * question (which users count, fraud-only label lists, nobody flagged: see those classes).
 */
public final class ThresholdTable {
    private final double[] desc;
    private final ThresholdCurve curve;
    private final boolean unlabelledAsNormal;

    /** The figures at one threshold; {@code flagged} counts every scored user; the rest are NaN without fraud labels. */
    public record Point(double threshold, int flagged, int tp, int fp, int fn, double precision, double recall, double f1) {
    }

    private ThresholdTable(double[] scores, LabelledScores labelled) {
        desc = scores.clone();
        for (int i = 0; i < desc.length; i++) {
            if (Double.isNaN(desc[i])) {
                desc[i] = Double.NEGATIVE_INFINITY; // as ThresholdCurve counts NaN scores
            }
        }
        Arrays.sort(desc);
        for (int i = 0, j = desc.length - 1; i < j; i++, j--) {
            double x = desc[i];
            desc[i] = desc[j];
            desc[j] = x;
        }
        curve = labelled.curve();
        unlabelledAsNormal = labelled.unlabelledAsNormal();
    }

    /** @param users the scored users, {@code scores[i]} the score of {@code users.get(i)} */
    public static ThresholdTable of(List<String> users, double[] scores, LabelSet labels) {
        return new ThresholdTable(scores, LabelledScores.of(users, scores, labels));
    }

    public int size() {
        return desc.length;
    }

    /** True when precision and recall can be computed: at least one labelled fraud user has a score. */
    public boolean hasLabels() {
        return curve.positives() > 0;
    }

    public int labelledFraud() {
        return curve.positives();
    }

    /** The users counted as normal: labelled normal, or every other user when the labels name fraud only. */
    public int labelledNormal() {
        return curve.negatives();
    }

    /** The labels name fraud users only, so every other scored user counts as normal (as in evaluate). */
    public boolean unlabelledCountAsNormal() {
        return unlabelledAsNormal;
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
        return point(t, curve.at(t));
    }

    private Point point(double t, ThresholdCurve.Point c) {
        int flagged = flaggedAt(t);
        if (!hasLabels()) {
            return new Point(t, flagged, c.truePositives(), c.falsePositives(), 0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Point(t, flagged, c.truePositives(), c.falsePositives(), c.positives() - c.truePositives(),
                c.precision(), c.recall(), c.f1());
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
        int n = curve.distinctThresholds();
        List<Point> all = new ArrayList<>(Math.min(n, maxPoints));
        if (!hasLabels() || n == 0 || maxPoints <= 0) {
            return all;
        }
        if (n <= maxPoints) {
            for (int i = 0; i < n; i++) {
                all.add(point(curve.threshold(i), curve.point(i)));
            }
            return all;
        }
        for (int i = 0; i < maxPoints; i++) {
            int k = maxPoints == 1 ? n - 1 : (int) ((long) i * (n - 1) / (maxPoints - 1));
            all.add(point(curve.threshold(k), curve.point(k)));
        }
        return all;
    }

    /** The threshold with the best F1 over labelled users (as evaluate's best_f1_threshold), or NaN without labels. */
    public double bestF1Threshold() {
        ThresholdCurve.Point best = curve.bestF1();
        return best == null ? Double.NaN : best.threshold();
    }
}
