package dev.seqwatch.evaluate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Precision and F1 projected to another class ratio, against hand-computed cases. */
class ProjectedRatioTest {

    @Test
    void projectsByHand() {
        ProjectedRatio r = new ProjectedRatio(1000, 100);
        // recall 0.8 -> 80 TP; FPR 2% of 1000 normal -> 20 FP; precision 80/100 = 0.8; F1 0.8
        assertThat(r.precision(0.8, 0.02)).isCloseTo(0.8, within(1e-12));
        assertThat(r.f1(0.8, 0.02)).isCloseTo(0.8, within(1e-12));
        // recall 0.5 -> 50 TP; FPR 10% -> 100 FP; precision 1/3; F1 = 2 (1/3)(1/2) / (5/6) = 0.4
        assertThat(r.precision(0.5, 0.1)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.f1(0.5, 0.1)).isCloseTo(0.4, within(1e-12));
        assertThat(r.f1(0, 0)).isEqualTo(0.0);
        // the paper's ratio: recall 1.00 at 0.48% FPR -> 16,838 TP, 2,656.1568 FP: P 0.863746, F1 0.926892
        ProjectedRatio p = ProjectedRatio.DEEPLOG_HDFS;
        assertThat(p.precision(1.0, 0.0048)).isCloseTo(16838 / (16838 + 2656.1568), within(1e-12));
        assertThat(p.f1(1.0, 0.0048)).isCloseTo(0.926892, within(1e-6));
    }

    @Test
    void bestThresholdOnACurveByHand() {
        // scores 0.9 (abnormal), 0.8 (normal), 0.7 (abnormal), 0.1 (normal): 2 abnormal, 2 normal
        ThresholdCurve c = ThresholdCurve.of(new double[]{0.9, 0.8, 0.7, 0.1}, new boolean[]{true, false, true, false});
        ProjectedRatio r = new ProjectedRatio(1000, 100);
        // at 0.9: recall 0.5, FPR 0 -> P 1, F1 2/3; at 0.8: recall 0.5, FPR 0.5 -> P 50/550, F1 1/6;
        // at 0.7: recall 1, FPR 0.5 -> P 100/600, F1 2/7; at 0.1: recall 1, FPR 1 -> P 1/11, F1 1/6
        ProjectedRatio.Projected b = r.best(c);
        assertThat(b.threshold()).isEqualTo(0.9);
        assertThat(b.f1()).isCloseTo(2.0 / 3, within(1e-12));
        ProjectedRatio.Projected at07 = r.at(c.at(0.7));
        assertThat(at07.recall()).isEqualTo(1.0);
        assertThat(at07.falsePositiveRate()).isEqualTo(0.5);
        assertThat(at07.precision()).isCloseTo(1.0 / 6, within(1e-12));
        assertThat(at07.f1()).isCloseTo(2.0 / 7, within(1e-12));
        // on the sample's own ratio (2:2) the same point has F1 = 2*2/(3+2) = 0.8, as the curve says
        assertThat(new ProjectedRatio(2, 2).at(c.at(0.7)).f1()).isCloseTo(c.at(0.7).f1(), within(1e-12));
    }

    @Test
    void refusesANonsenseRatio() {
        assertThatThrownBy(() -> new ProjectedRatio(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
