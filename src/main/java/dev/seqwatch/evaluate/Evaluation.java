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
                         Map<String, int[]> perFraudType, Map<String, Double> rocAucByFraudType,
                         Map<String, Double> prAucByFraudType, int normalUsers,
                         int unscoredLabelled, boolean unlabelledAsNormal) {

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
        Map<String, Double> rocByType = new TreeMap<>();
        Map<String, Double> prByType = new TreeMap<>();
        int normals = byType(ls, perType.keySet(), rocByType, prByType);
        return new Evaluation(ls.size(), c.positives(), t, source, at.flagged(), at.precision(), at.recall(), at.f1(),
                c.rocAuc(), c.averagePrecision(), k, c.precisionAtK(k), best == null ? Double.NaN : best.f1(),
                best == null ? Double.NaN : best.threshold(), perType, rocByType, prByType, normals,
                ls.unscoredLabelled(), ls.unlabelledAsNormal());
    }

    /**
     * ROC-AUC and PR-AUC (average precision) of each fraud type's users against the normal users alone
     * (how well the score ranks that pattern; other fraud types left out); returns the number of normal users.
     */
    private static int byType(LabelledScores ls, java.util.Set<String> types, Map<String, Double> roc,
                              Map<String, Double> pr) {
        int normals = 0;
        for (int i = 0; i < ls.size(); i++) {
            if (!ls.fraud()[i]) {
                normals++;
            }
        }
        for (String type : types) {
            int n = 0;
            for (int i = 0; i < ls.size(); i++) {
                if (!ls.fraud()[i] || type.equals(ls.fraudType(i))) {
                    n++;
                }
            }
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            int j = 0;
            for (int i = 0; i < ls.size(); i++) {
                if (!ls.fraud()[i] || type.equals(ls.fraudType(i))) {
                    s[j] = ls.scores()[i];
                    y[j++] = ls.fraud()[i];
                }
            }
            ThresholdCurve curve = ThresholdCurve.of(s, y);
            roc.put(type, normals == 0 ? Double.NaN : curve.rocAuc());
            pr.put(type, normals == 0 ? Double.NaN : curve.averagePrecision());
        }
        return normals;
    }

    /** The PR-AUC of a scorer that ranks at random: the type's share among its users and the normal users. */
    public double chancePrAuc(String type) {
        int[] v = perFraudType.get(type);
        return v == null || v[1] + normalUsers == 0 ? Double.NaN : (double) v[1] / (v[1] + normalUsers);
    }

    /** Per fraud type: users, ROC-AUC and PR-AUC against the normal users, PR-AUC of chance (the {@code by_pattern} JSON). */
    public Map<String, Object> byPatternMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        perFraudType.forEach((type, v) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("fraud_users", v[1]);
            e.put("normal_users", normalUsers);
            e.put("roc_auc", num(rocAucByFraudType.getOrDefault(type, Double.NaN)));
            e.put("pr_auc", num(prAucByFraudType.getOrDefault(type, Double.NaN)));
            e.put("pr_auc_chance", num(chancePrAuc(type)));
            e.put("recall_at_threshold", v[1] == 0 ? null : (double) v[0] / v[1]);
            out.put(type, e);
        });
        return out;
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
        Map<String, Object> aucs = new LinkedHashMap<>();
        rocAucByFraudType.forEach((type, v) -> aucs.put(type, num(v)));
        m.put("roc_auc_by_fraud_type", aucs);
        Map<String, Object> prs = new LinkedHashMap<>();
        prAucByFraudType.forEach((type, v) -> prs.put(type, num(v)));
        m.put("pr_auc_by_fraud_type", prs);
        m.put("unscored_labelled_users", unscoredLabelled);
        m.put("unlabelled_count_as_normal", unlabelledAsNormal);
        return m;
    }

    private static Object num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
