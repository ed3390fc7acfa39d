package dev.seqwatch.ui.vm;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.evaluate.Evaluation;
import dev.seqwatch.evaluate.LabelledScores;
import dev.seqwatch.ui.thresholds.ThresholdTable;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The thresholds panel and {@code seqwatch evaluate} (and so the reports and compare, which use the same
 * {@link Evaluation}) give the same precision, recall and F1 for the same labelled scores and threshold:
 * both classes labelled, fraud-only label lists, ties, nobody flagged, everybody flagged.
 */
class ThresholdFiguresAgreeTest {

    static ThresholdTable table(double[] scores, Boolean[] fraud) {
        return ThresholdTable.of(users(scores.length), scores, labels(fraud));
    }

    private static List<String> users(int n) {
        List<String> u = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            u.add("u" + i);
        }
        return u;
    }

    private static LabelSet labels(Boolean[] fraud) {
        List<Label> l = new ArrayList<>();
        for (int i = 0; i < fraud.length; i++) {
            if (fraud[i] != null) {
                l.add(new Label(i + 1, "u" + i, fraud[i], fraud[i] ? "bot" : null, null, "t", Instant.EPOCH, 0));
            }
        }
        return new LabelSet(l);
    }

    private static void assertAgree(double[] s, Boolean[] f, double t) {
        ThresholdTable table = table(s, f);
        Evaluation e = Evaluation.of(LabelledScores.of(users(s.length), s, labels(f)), t);
        ThresholdTable.Point p = table.at(t);
        String what = "threshold " + t;
        assertThat(p.precision()).as(what).isEqualTo(e.precision());
        assertThat(p.recall()).as(what).isEqualTo(e.recall());
        assertThat(p.f1()).as(what).isEqualTo(e.f1());
        assertThat(p.tp() + p.fp()).as(what + ": labelled users flagged").isEqualTo(e.flagged());
        assertThat(table.bestF1Threshold()).isEqualTo(e.bestF1Threshold());
    }

    @Test
    void theIssuesFraudOnlyListGivesTheCoreFigures() {
        // 10 users, the labels name fraud users only: everyone else counts as normal, as evaluate says
        double[] s = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        Boolean[] f = {true, null, null, null, null, null, null, null, true, null};
        ThresholdTable t = table(s, f);
        ThresholdTable.Point p = t.at(3);
        assertThat(p.flagged()).isEqualTo(8);
        assertThat(p.precision()).isEqualTo(0.125); // 1 of 8 flagged (u8), u0 missed
        assertThat(p.recall()).isEqualTo(0.5);
        assertAgree(s, f, 3);
        assertThat(t.unlabelledCountAsNormal()).isTrue();
        assertThat(t.labelledNormal()).isEqualTo(8);
    }

    @Test
    void nobodyFlaggedIsPrecisionZeroInBoth() {
        double[] s = {1, 2, 3};
        Boolean[] f = {true, false, null};
        assertAgree(s, f, 100);
        assertThat(table(s, f).at(100).precision()).isZero();
    }

    @Test
    void normalOnlyLabelsGiveNoFiguresInThePanel() {
        double[] s = {1, 2, 3};
        Boolean[] f = {false, false, null};
        ThresholdTable t = table(s, f);
        assertThat(t.hasLabels()).isFalse();
        assertThat(t.at(2).precision()).isNaN();
        assertThat(Double.isNaN(Evaluation.of(LabelledScores.of(users(3), s, labels(f)), 2).rocAuc())).isTrue();
    }

    @Test
    void randomLabelledScoresWithTiesAgreeAtEveryThreshold() {
        SplittableRandom r = new SplittableRandom(17);
        for (int round = 0; round < 200; round++) {
            int n = 1 + r.nextInt(40);
            double[] s = new double[n];
            Boolean[] f = new Boolean[n];
            boolean fraudOnly = r.nextInt(4) == 0;
            for (int i = 0; i < n; i++) {
                s[i] = r.nextInt(8) / 2.0; // many ties
                int k = r.nextInt(3);
                f[i] = k == 0 ? null : (fraudOnly ? (k == 1 ? null : Boolean.TRUE) : Boolean.valueOf(k == 1));
            }
            if (!labels(f).fraudUsers().isEmpty() && labelledScoredExist(f)) {
                for (double t = -0.5; t <= 4.5; t += 0.25) {
                    assertAgree(s, f, t);
                }
            }
        }
    }

    private static boolean labelledScoredExist(Boolean[] f) {
        for (Boolean b : f) {
            if (b != null) {
                return true;
            }
        }
        return false;
    }
}
