package dev.seqwatch.evaluate;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EnsemblesTest {

    @Test
    void normalisedRanksAverageTies() {
        // sorted: 1 (rank 0), 2,2 (ranks 1,2 -> 1.5), 5 (rank 3); divided by n-1 = 3
        assertThat(Ensembles.normalisedRanks(new double[]{2, 5, 1, 2})).containsExactly(0.5, 1.0, 0.0, 0.5);
        assertThat(Ensembles.rankAverage(new double[][]{{1, 2, 3}, {30, 20, 10}})).containsExactly(0.5, 0.5, 0.5);
    }

    @Test
    void logisticRegressionLearnsTheInformativeDirection() {
        Random r = new Random(1);
        int n = 400;
        double[][] x = new double[n][2];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < 0.3;
            x[i][0] = r.nextGaussian() + (y[i] ? 2 : 0); // informative
            x[i][1] = r.nextGaussian();                  // noise
        }
        Ensembles.LogisticRegression lr = Ensembles.LogisticRegression.fit(x, i -> true, y);
        double[] w = lr.weights();
        assertThat(w[1]).isGreaterThan(1.0);
        assertThat(Math.abs(w[2])).isLessThan(0.5);
        // a 1-d system solved exactly
        assertThat(Ensembles.LogisticRegression.solve(new double[][]{{2, 1}, {1, 3}}, new double[]{3, 5}))
                .containsExactly(new double[]{0.8, 1.4}, within(1e-12));
    }

    @Test
    void stackedOutOfFoldBeatsNeitherInputOnNoiseButCombinesTwoSignals() {
        Random r = new Random(2);
        int n = 2000;
        double[] a = new double[n];
        double[] b = new double[n];
        boolean[] y = new boolean[n];
        boolean[] labelled = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextDouble() < 0.1;
            labelled[i] = true;
            // half the fraud shows in a, the other half in b
            a[i] = r.nextGaussian() + (y[i] && i % 2 == 0 ? 3 : 0);
            b[i] = r.nextGaussian() + (y[i] && i % 2 == 1 ? 3 : 0);
        }
        double[] ra = Ensembles.normalisedRanks(a);
        double[] rb = Ensembles.normalisedRanks(b);
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = new double[]{ra[i], rb[i]};
        }
        double[] oof = Ensembles.stackedOutOfFold(x, labelled, y, 5, 7);
        double aucA = ThresholdCurve.of(a, y).rocAuc();
        double aucB = ThresholdCurve.of(b, y).rocAuc();
        double aucStacked = ThresholdCurve.of(oof, y).rocAuc();
        assertThat(aucStacked).isGreaterThan(Math.max(aucA, aucB));
    }
}
