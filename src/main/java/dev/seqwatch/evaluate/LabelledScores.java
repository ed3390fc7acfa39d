package dev.seqwatch.evaluate;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;

import java.util.ArrayList;
import java.util.List;

/**
 * A detector's user scores paired with labels, ready for metrics.
 *
 * <p>Which users count: when the labels contain both classes, only labelled users are evaluated
 * (an unlabelled user is unknown, not normal). When the labels name fraud users only (a common
 * shape for a "known bad" list), every other scored user counts as normal. Labelled users the
 * detector did not score are left out and counted in {@link #unscoredLabelled()}.
 */
public final class LabelledScores {
    private final String[] userIds;
    private final double[] scores;
    private final boolean[] fraud;
    private final String[] fraudTypes;
    private final int unscoredLabelled;
    private final boolean unlabelledAsNormal;

    private LabelledScores(String[] userIds, double[] scores, boolean[] fraud, String[] fraudTypes,
                           int unscoredLabelled, boolean unlabelledAsNormal) {
        this.userIds = userIds;
        this.scores = scores;
        this.fraud = fraud;
        this.fraudTypes = fraudTypes;
        this.unscoredLabelled = unscoredLabelled;
        this.unlabelledAsNormal = unlabelledAsNormal;
    }

    /** From plain arrays, e.g. stored user scores (the workbench's threshold slider). */
    public static LabelledScores of(List<String> userIds, double[] scores, LabelSet labels) {
        List<UserScores> us = new ArrayList<>(userIds.size());
        for (int i = 0; i < userIds.size(); i++) {
            us.add(new UserScores(userIds.get(i), scores[i], null, null));
        }
        return of(new Scores("stored", List.of(), 0, us), labels);
    }

    public static LabelledScores of(Scores s, LabelSet labels) {
        boolean anyNormal = false;
        for (Label l : labels.all()) {
            if (!l.fraud()) {
                anyNormal = true;
                break;
            }
        }
        boolean unlabelledAsNormal = !anyNormal;
        List<UserScores> users = s.users();
        List<String> ids = new ArrayList<>(users.size());
        double[] sc = new double[users.size()];
        boolean[] fr = new boolean[users.size()];
        String[] types = new String[users.size()];
        int n = 0;
        int matched = 0;
        for (UserScores u : users) {
            Label l = labels.get(u.userId());
            if (l == null && !unlabelledAsNormal) {
                continue;
            }
            if (l != null) {
                matched++;
            }
            ids.add(u.userId());
            sc[n] = u.score();
            fr[n] = l != null && l.fraud();
            types[n] = l != null && l.fraud() ? typeOf(l) : null;
            n++;
        }
        return new LabelledScores(ids.toArray(new String[0]), java.util.Arrays.copyOf(sc, n),
                java.util.Arrays.copyOf(fr, n), java.util.Arrays.copyOf(types, n), labels.size() - matched,
                unlabelledAsNormal);
    }

    private static String typeOf(Label l) {
        return l.fraudType() == null || l.fraudType().isBlank() ? "unspecified" : l.fraudType();
    }

    public int size() {
        return scores.length;
    }

    public String userId(int i) {
        return userIds[i];
    }

    public double[] scores() {
        return scores;
    }

    public boolean[] fraud() {
        return fraud;
    }

    /** Fraud type of user {@code i} ("unspecified" when the label has none), null for normal users. */
    public String fraudType(int i) {
        return fraudTypes[i];
    }

    /** Labelled users that have no score (e.g. no events in the workspace). */
    public int unscoredLabelled() {
        return unscoredLabelled;
    }

    public boolean unlabelledAsNormal() {
        return unlabelledAsNormal;
    }

    public ThresholdCurve curve() {
        return ThresholdCurve.of(scores, fraud);
    }
}
