package dev.seqwatch.cli;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.evaluate.ProjectedRatio;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** bench hdfs's figures on a hand-computed case: top-g any-miss, training quantile, best threshold. */
class BenchHdfsFiguresTest {

    private static Label label(String u, boolean fraud) {
        return new Label(0, u, fraud, null, null, "t", Instant.EPOCH, 0);
    }

    @Test
    void figuresByHand() {
        // a, b abnormal; c, d normal. ranks against g = 9: a and d have a step outside the top 9
        Scores test = new Scores("lstm", List.of(), 0, 9, List.of(
                new UserScores("a", 5, new double[2], null, new int[]{1, 12}),
                new UserScores("b", 3, new double[2], null, new int[]{1, 1}),
                new UserScores("c", 1, new double[2], null, new int[]{1, 1}),
                new UserScores("d", 4, new double[2], null, new int[]{10, 1})));
        Scores training = new Scores("lstm", List.of(), 0, 9, List.of(
                new UserScores("t1", 0.5, null, null), new UserScores("t2", 1, null, null),
                new UserScores("t3", 2, null, null), new UserScores("t4", 3.5, null, null)));
        LabelSet labels = new LabelSet(List.of(label("a", true), label("b", true), label("c", false), label("d", false)));
        ProjectedRatio ratio = new ProjectedRatio(1000, 100);
        BenchHdfsCommand.Run r = BenchHdfsCommand.figures(test, training, labels, 9, 0.75, ratio, 1, 0, 0);
        // pairs (abnormal, normal): 5>4, 5>1, 3<4, 3>1 -> ROC-AUC 3/4
        assertThat(r.rocAuc()).isCloseTo(0.75, within(1e-12));
        // top-g: a flagged (TP), d flagged (FP), b missed: recall 1/2, FPR 1/2 -> 50 TP, 500 FP: P 1/11, F1 2/13
        assertThat(r.topG().recall()).isEqualTo(0.5);
        assertThat(r.topG().falsePositiveRate()).isEqualTo(0.5);
        assertThat(r.topG().f1()).isCloseTo(2.0 / 13, within(1e-12));
        // training q0.75 of {0.5, 1, 2, 3.5} is 2 (nearest rank); above it: a, b, d -> recall 1, FPR 1/2: P 1/6, F1 2/7
        assertThat(BenchHdfsCommand.quantileOf(new double[]{3.5, 0.5, 2, 1}, 0.75)).isEqualTo(2.0);
        assertThat(BenchHdfsCommand.quantileOf(new double[]{3.5, 0.5, 2, 1}, 1.0)).isEqualTo(3.5);
        assertThat(r.quantile().recall()).isEqualTo(1.0);
        assertThat(r.quantile().falsePositiveRate()).isEqualTo(0.5);
        assertThat(r.quantile().f1()).isCloseTo(2.0 / 7, within(1e-12));
        // best threshold (looks at the labels): flag a only -> recall 1/2, FPR 0: P 1, F1 2/3
        assertThat(r.best().threshold()).isEqualTo(5.0);
        assertThat(r.best().f1()).isCloseTo(2.0 / 3, within(1e-12));
    }
}
