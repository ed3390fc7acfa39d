package dev.seqwatch.workflow;

import dev.seqwatch.common.LabelSet;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.evaluate.Ensembles;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserFeatures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The "label next" queue order: unlabelled users ordered by how much an analyst's label would teach
 * the model, not by how anomalous they are. Two parts, multiplied:
 * <ul>
 * <li><b>uncertainty</b>: how close the user's score rank is to the rank of the flagging threshold
 *     (1 at the threshold, falling linearly to 0 at {@link #BAND} of all users away from it): users
 *     the model is least sure about;</li>
 * <li><b>diversity</b>: the user's distance, in the per-user feature space ({@link UserFeatures}, each
 *     column turned into its rank among all users so that no column dominates), to the nearest user
 *     already labelled or already placed earlier in this order, relative to the largest such distance:
 *     a second user just like one already asked about teaches little.</li>
 * </ul>
 * The order is greedy: each place goes to the unlabelled user with the largest product, then the
 * distances are updated. Deterministic (ties by user id order of the sequence set). Cost
 * O(places x users x features); {@code limit} bounds the places (the rest of the queue keeps the
 * uncertainty order).
 */
public final class LabelNext {
    /** Width of the uncertainty band on each side of the threshold, as a share of all users. */
    public static final double BAND = 0.25;
    /** Threshold rank used when a model has no calibrated threshold: the top 5% are taken as flagged. */
    public static final double DEFAULT_FLAGGED_SHARE = 0.05;

    private LabelNext() {
    }

    /** One place in the order: the user, its uncertainty and diversity in [0, 1]. */
    public record Pick(String userId, double score, double uncertainty, double diversity) {
    }

    /**
     * Orders the unlabelled users of {@code all} (those {@code scores} scores) for labelling.
     *
     * @param threshold the model's flagging threshold (flag when score {@code >=} it); NaN: the score of
     *                  the user at the top {@link #DEFAULT_FLAGGED_SHARE}
     * @param limit     how many places to fill greedily with diversity (the rest follow by uncertainty)
     */
    public static List<Pick> order(SequenceSet all, Scores scores, LabelSet labels, double threshold, int limit) {
        int n = all.size();
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            UserScores u = scores.user(all.users().get(i).userId());
            s[i] = u == null ? Double.NaN : u.score();
        }
        double[][] x = rankFeatures(UserFeatures.fit(all).extract(all));
        boolean[] labelled = new boolean[n];
        for (int i = 0; i < n; i++) {
            labelled[i] = labels.isLabelled(all.users().get(i).userId());
        }
        double[] unc = uncertainty(s, threshold);
        Greedy g = greedy(x, unc, labelled, Math.max(0, limit));
        int[] picked = g.picks();
        double[] div = g.diversity();
        List<Pick> out = new ArrayList<>();
        boolean[] done = new boolean[n];
        for (int k = 0; k < picked.length; k++) {
            int i = picked[k];
            done[i] = true;
            out.add(new Pick(all.users().get(i).userId(), s[i], unc[i], div[k]));
        }
        Integer[] rest = new Integer[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (!done[i] && !labelled[i] && !Double.isNaN(s[i])) {
                rest[m++] = i;
            }
        }
        Integer[] r = Arrays.copyOf(rest, m);
        Arrays.sort(r, (a, b) -> Double.compare(unc[b], unc[a]));
        for (int i : r) {
            out.add(new Pick(all.users().get(i).userId(), s[i], unc[i], Double.NaN));
        }
        return out;
    }

    private record Greedy(int[] picks, double[] diversity) {
    }

    /** Uncertainty in [0, 1] of each user: 1 at the threshold's rank, 0 at {@link #BAND} or more away. */
    static double[] uncertainty(double[] s, double threshold) {
        int n = s.length;
        double[] rank = Ensembles.normalisedRanks(s);
        double tRank;
        if (Double.isNaN(threshold)) {
            tRank = 1 - DEFAULT_FLAGGED_SHARE;
        } else {
            int below = 0;
            int valid = 0;
            for (double v : s) {
                if (!Double.isNaN(v)) {
                    valid++;
                    if (v < threshold) {
                        below++;
                    }
                }
            }
            tRank = valid == 0 ? 1 - DEFAULT_FLAGGED_SHARE : (double) below / Math.max(1, n - 1);
        }
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = Double.isNaN(s[i]) ? 0 : Math.max(0, 1 - Math.abs(rank[i] - tRank) / BAND);
        }
        return u;
    }

    /** Each column replaced by its normalised rank among the users (ties share their average rank). */
    static double[][] rankFeatures(double[][] x) {
        int n = x.length;
        if (n == 0) {
            return x;
        }
        int d = x[0].length;
        double[][] out = new double[n][d];
        double[] col = new double[n];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < n; i++) {
                col[i] = x[i][j];
            }
            double[] r = Ensembles.normalisedRanks(col);
            for (int i = 0; i < n; i++) {
                out[i][j] = r[i];
            }
        }
        return out;
    }

    private static Greedy greedy(double[][] x, double[] unc, boolean[] labelled, int limit) {
        int n = x.length;
        double[] minDist = new double[n];
        Arrays.fill(minDist, Double.POSITIVE_INFINITY);
        boolean any = false;
        for (int j = 0; j < n; j++) {
            if (labelled[j]) {
                any = true;
                update(x, minDist, j);
            }
        }
        boolean[] taken = labelled.clone();
        List<Integer> picks = new ArrayList<>();
        List<Double> divs = new ArrayList<>();
        while (picks.size() < limit) {
            double maxD = 0;
            for (int i = 0; i < n; i++) {
                if (!taken[i] && unc[i] > 0 && Double.isFinite(minDist[i])) {
                    maxD = Math.max(maxD, minDist[i]);
                }
            }
            int best = -1;
            double bestV = -1;
            double bestDiv = 0;
            for (int i = 0; i < n; i++) {
                if (taken[i] || unc[i] <= 0) {
                    continue;
                }
                double div = !any || !Double.isFinite(minDist[i]) ? 1 : maxD > 0 ? minDist[i] / maxD : 0;
                double v = unc[i] * div;
                if (v > bestV) {
                    bestV = v;
                    best = i;
                    bestDiv = div;
                }
            }
            if (best < 0) {
                break;
            }
            taken[best] = true;
            picks.add(best);
            divs.add(bestDiv);
            any = true;
            update(x, minDist, best);
        }
        return new Greedy(picks.stream().mapToInt(Integer::intValue).toArray(),
                divs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static void update(double[][] x, double[] minDist, int j) {
        double[] b = x[j];
        for (int i = 0; i < x.length; i++) {
            double[] a = x[i];
            double d = 0;
            for (int k = 0; k < a.length; k++) {
                double t = a[k] - b[k];
                d += t * t;
            }
            d = Math.sqrt(d);
            if (d < minDist[i]) {
                minDist[i] = d;
            }
        }
    }
}
