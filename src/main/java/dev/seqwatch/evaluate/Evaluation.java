package dev.seqwatch.evaluate;

import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.Scores;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metrics of one scorer on labelled users (the object {@code seqwatch evaluate --json} prints).
 * {@code threshold} is the operating point of precision / recall / F1: the caller's, or else the
 * best-F1 threshold on these very users (then {@code thresholdSource} says "best_f1", and those three
 * figures are optimistic because the threshold was tuned on the same labels).
 */
public record Evaluation(int nUsers, int nFraud, double threshold, String thresholdSource, int flagged,
                         double precision, double recall, double f1, double rocAuc, double prAuc,
                         int k, double precisionAtK, double bestF1, double bestF1Threshold,
                         Map<String, int[]> perFraudType, int unscoredLabelled, boolean unlabelledAsNormal) {

    /** Evaluates {@code scores} against {@code labels}; {@code threshold} NaN means "best F1". */
    public static Evaluation of(Scores scores, LabelSet labels, double threshold) {
        return of(LabelledScores.of(scores, labels), threshold);
    }

    public static Evaluation of(LabelledScores ls, double threshold) {
        return of(ls, threshold, "given");
    }

    /** @param source what {@code threshold} is, e.g. "given" or "calibrated" (ignored when it is NaN) */
    public static Evaluation of(LabelledScores ls, double threshold, String source) {
        if (ls.size() == 0) {
            throw new UserFacingException("no labelled user has a score: the labels name users that are not in the workspace");
        }
        ThresholdCurve c = ls.curve();
        ThresholdCurve.Point best = c.bestF1();
        double t = threshold;
        if (Double.isNaN(t)) {
            t = best == null ? Double.POSITIVE_INFINITY : best.threshold();
            source = "best_f1";
        }
        ThresholdCurve.Point at = c.at(t);
        int k = c.positives();
        Map<String, int[]> perType = new TreeMap<>();
        for (int i = 0; i < ls.size(); i++) {
            String type = ls.fraudType(i);
            if (type != null) {
                int[] caughtOfTotal = perType.computeIfAbsent(type, x -> new int[2]);
                caughtOfTotal[1]++;
                if (!Double.isNaN(ls.scores()[i]) && ls.scores()[i] >= t) {
                    caughtOfTotal[0]++;
                }
            }
        }
        return new Evaluation(ls.size(), c.positives(), t, source, at.flagged(), at.precision(), at.recall(), at.f1(),
                c.rocAuc(), c.averagePrecision(), k, c.precisionAtK(k), best == null ? Double.NaN : best.f1(),
                best == null ? Double.NaN : best.threshold(), perType, ls.unscoredLabelled(), ls.unlabelledAsNormal());
    }

    /** Flat JSON-ready map with snake_case keys; NaN becomes null. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", num(precision));
        m.put("recall", num(recall));
        m.put("f1", num(f1));
        m.put("roc_auc", num(rocAuc));
        m.put("pr_auc", num(prAuc));
        m.put("pr_auc_method", "average_precision");
        m.put("threshold", num(threshold));
        m.put("threshold_source", thresholdSource);
        m.put("n_users", nUsers);
        m.put("n_fraud", nFraud);
        m.put("flagged", flagged);
        m.put("k", k);
        m.put("precision_at_k", num(precisionAtK));
        m.put("best_f1", num(bestF1));
        m.put("best_f1_threshold", num(bestF1Threshold));
        Map<String, Object> types = new LinkedHashMap<>();
        perFraudType.forEach((type, v) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("caught", v[0]);
            e.put("total", v[1]);
            e.put("recall", v[1] == 0 ? null : (double) v[0] / v[1]);
            types.put(type, e);
        });
        m.put("recall_by_fraud_type", types);
        m.put("unscored_labelled_users", unscoredLabelled);
        m.put("unlabelled_count_as_normal", unlabelledAsNormal);
        return m;
    }

    private static Object num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
