package dev.seqwatch.ui.vm;

import dev.seqwatch.ui.common.LatestWins;
import dev.seqwatch.ui.thresholds.ThresholdTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ThresholdTableTest {

    @Test
    void countsAndMetricsMatchAHandComputation() {
        // scores 9..1; fraud at 9 and 6, normal at 8 and 2, others unlabelled
        double[] s = {5, 9, 1, 8, 6, 2, 3, 7, 4};
        Boolean[] f = {null, true, null, false, true, false, null, null, null};
        ThresholdTable t = ThresholdFiguresAgreeTest.table(s, f);
        ThresholdTable.Point p = t.at(6);
        assertThat(p.flagged()).isEqualTo(4); // 9 8 7 6
        assertThat(p.tp()).isEqualTo(2);
        assertThat(p.fp()).isEqualTo(1);
        assertThat(p.precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(p.recall()).isEqualTo(1.0);
        assertThat(p.f1()).isCloseTo(0.8, within(1e-12));
        assertThat(t.at(8.5).recall()).isEqualTo(0.5);
        assertThat(t.at(100).flagged()).isZero();
        assertThat(t.bestF1Threshold()).isEqualTo(6.0); // F1: .667 at 9, .5 at 8, .8 at 6, .667 at 2
    }

    @Test
    void latestWinsSkipsOvertakenInputsAndPublishesOnlyTheNewest() {
        List<Runnable> queued = new ArrayList<>();
        Executor manual = queued::add;
        List<Integer> published = new ArrayList<>();
        List<Integer> computed = new ArrayList<>();
        LatestWins<Integer, Integer> lw = new LatestWins<>(manual, Runnable::run, x -> {
            computed.add(x);
            return x * 10;
        }, published::add);
        lw.submit(1);
        lw.submit(2);
        lw.submit(3);
        assertThat(queued).hasSize(1); // one drain scheduled
        queued.remove(0).run();
        assertThat(computed).containsExactly(3); // 1 and 2 were overtaken before the worker ran
        assertThat(published).containsExactly(30);

        // a result that is overtaken while waiting for the FX thread is dropped
        List<Runnable> fx = new ArrayList<>();
        List<Integer> shown = new ArrayList<>();
        LatestWins<Integer, Integer> lw2 = new LatestWins<>(Runnable::run, fx::add, x -> x, shown::add);
        lw2.submit(1);
        lw2.submit(2);
        fx.forEach(Runnable::run);
        assertThat(shown).containsExactly(2);
    }

    @Test
    void figuresAreMarkedOptimisticOnlyForModelsThatLearnedTheLabels() {
        java.time.Instant now = java.time.Instant.now();
        var stacked = new dev.seqwatch.store.ModelDao.ModelRecord(1, "ensemble", now, "{}", "{\"labelled_users\":753}", "{}", true);
        var unlabelled = new dev.seqwatch.store.ModelDao.ModelRecord(2, "ensemble", now, "{}", "{\"labelled_users\":0}", "{}", true);
        var markov = new dev.seqwatch.store.ModelDao.ModelRecord(3, "markov", now, "{}", "{\"labelled_users\":753}", "{}", true);
        org.assertj.core.api.Assertions.assertThat(dev.seqwatch.ui.thresholds.ThresholdViewModel.learnedFromLabels(stacked)).isTrue();
        org.assertj.core.api.Assertions.assertThat(dev.seqwatch.ui.thresholds.ThresholdViewModel.learnedFromLabels(unlabelled)).isFalse();
        org.assertj.core.api.Assertions.assertThat(dev.seqwatch.ui.thresholds.ThresholdViewModel.learnedFromLabels(markov)).isFalse();
        org.assertj.core.api.Assertions.assertThat(dev.seqwatch.ui.thresholds.ThresholdViewModel.learnedFromLabels(null)).isFalse();
    }
}
