package dev.seqwatch.evaluate;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LabelledScoresTest {
    private static Label l(String u, boolean fraud, String type) {
        return new Label(0, u, fraud, type, null, "t", Instant.EPOCH, 0);
    }

    @Test
    void onlyLabelledUsersCountWhenBothClassesAreLabelled() {
        LabelSet labels = new LabelSet(List.of(l("a", true, "scripted_bot"), l("b", false, null), l("zz", false, null)));
        LabelledScores ls = LabelledScores.of(List.of("a", "b", "c"), new double[]{3, 1, 2}, labels);
        assertThat(ls.size()).isEqualTo(2);
        assertThat(ls.unscoredLabelled()).isEqualTo(1);
        assertThat(ls.unlabelledAsNormal()).isFalse();
        Evaluation e = Evaluation.of(ls, 2.5);
        assertThat(e.precision()).isEqualTo(1.0);
        assertThat(e.recall()).isEqualTo(1.0);
        assertThat(e.perFraudType().get("scripted_bot")).containsExactly(1, 1);
    }

    @Test
    void rocAucPerFraudTypeIsAgainstNormalUsersOnly() {
        LabelSet labels = new LabelSet(List.of(l("a", true, "x"), l("b", false, null), l("c", false, null), l("d", true, "y")));
        Evaluation e = Evaluation.of(LabelledScores.of(List.of("a", "b", "c", "d"), new double[]{3, 1, 2, 1.5}, labels), Double.NaN);
        assertThat(e.rocAucByFraudType()).containsEntry("x", 1.0).containsEntry("y", 0.5);
        // y against the normals: 2 (normal), 1.5 (y), 1 (normal): average precision = 1 * 1/2
        assertThat(e.prAucByFraudType()).containsEntry("x", 1.0).containsEntry("y", 0.5);
        assertThat(e.normalUsers()).isEqualTo(2);
        assertThat(e.chancePrAuc("x")).isEqualTo(1.0 / 3);
        assertThat(e.byPatternMap().get("y")).isEqualTo(java.util.Map.of("fraud_users", 1, "normal_users", 2,
                "roc_auc", 0.5, "pr_auc", 0.5, "pr_auc_chance", 1.0 / 3, "recall_at_threshold", 1.0));   // best F1 flags >= 1.5
    }

    @Test
    void fraudOnlyLabelsTreatEveryoneElseAsNormal() {
        LabelSet labels = new LabelSet(List.of(l("a", true, null)));
        LabelledScores ls = LabelledScores.of(List.of("a", "b", "c"), new double[]{3, 1, 2}, labels);
        assertThat(ls.size()).isEqualTo(3);
        assertThat(ls.unlabelledAsNormal()).isTrue();
        Evaluation e = Evaluation.of(ls, Double.NaN);
        assertThat(e.thresholdSource()).isEqualTo("best_f1");
        assertThat(e.threshold()).isEqualTo(3.0);
        assertThat(e.rocAuc()).isEqualTo(1.0);
        assertThat(e.perFraudType()).containsOnlyKeys("unspecified");
        assertThat(e.toMap()).containsKeys("precision", "recall", "f1", "roc_auc", "pr_auc", "threshold", "n_users", "n_fraud");
    }
}
