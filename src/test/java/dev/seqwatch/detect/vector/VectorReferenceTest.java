package dev.seqwatch.detect.vector;

import dev.seqwatch.detect.iforest.IsolationForest;
import dev.seqwatch.detect.lof.LocalOutlierFactor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * LOF and Isolation Forest against scikit-learn 1.2.1 (values pasted from /usr/bin/python3 runs):
 * X = 40 points of RandomState(11).randn(40, 2) rounded to 3 decimals, plus three outliers.
 */
class VectorReferenceTest {
    static final double[][] X = parse("1.749,-0.286;-0.485,-2.653;-0.008,-0.32;-0.537,0.315;0.421,-1.066;-0.886,-0.476;"
            + "0.69,0.561;-1.306,-1.119;0.737,1.575;-0.031,-0.683;1.096,-0.31;0.726,1.549;0.63,0.073;0.732,-0.643;"
            + "-0.178,-0.574;-0.204,-0.486;-0.186,-0.381;0.089,0.064;0.296,1.403;-1.547,1.296;-0.237,-1.232;"
            + "-0.172,0.092;1.068,-1.062;0.217,0.118;-1.684,-1.186;0.6,0.696;1.088,0.534;0.395,0.123;1.209,-0.843;"
            + "-0.142,0.385;-1.577,1.311;-0.793,-0.072;2.157,-0.829;-0.529,1.562;-1.08,-0.432;0.516,0.455;0.594,0.371;"
            + "1.345,1.016;0.595,-0.683;-0.714,-1.908;4.0,4.0;-3.5,3.0;0.0,-5.0");
    static final double[][] Q = {{0.0, 0.0}, {2.5, 2.5}, {6.0, -1.0}};

    static double[][] parse(String s) {
        String[] rows = s.split(";");
        double[][] x = new double[rows.length][2];
        for (int i = 0; i < rows.length; i++) {
            String[] p = rows[i].split(",");
            x[i][0] = Double.parseDouble(p[0]);
            x[i][1] = Double.parseDouble(p[1]);
        }
        return x;
    }

    @Test
    void lofMatchesScikitLearnOnTrainingAndNewPoints() {
        // LocalOutlierFactor(n_neighbors=5).fit(X): -negative_outlier_factor_
        double[] train = {1.342419071208238, 1.7347516246472625, 1.0128150302341723, 1.2101386683785582, 0.9855889674955265,
                1.1749276249732856, 1.0134923015026875, 1.1937838723516934, 1.3853223123924363, 1.002943821156344,
                1.1275628056438665, 1.3759934643568514, 0.8901030492983806, 1.0166426336535297, 0.9725178291942974,
                0.9742966902003701, 0.9742966902003701, 0.915597090762876, 1.3973217161213112, 1.880526648456033,
                1.2320650236795376, 1.0369355991128688, 0.976036680920768, 0.994701455639326, 1.3150134041779062,
                1.0085518421703443, 1.1724110795141824, 0.9257261250593144, 0.9959691472061216, 1.0980283693035533,
                1.896881573564104, 1.164901314129317, 1.5354327343043093, 1.5696068998965151, 1.2415794218905516,
                1.0176532193351537, 1.0571231514970052, 1.336498154485383, 0.9756647012410367, 1.397267176499419,
                5.100323700780876, 3.2873886449132916, 3.8701506100025127};
        // LocalOutlierFactor(n_neighbors=5, novelty=True).fit(X): -score_samples(Q)
        double[] novel = {0.9153543864638886, 2.6896590055642697, 5.602297212658863};
        var lof = LocalOutlierFactor.fit(X, 5);
        for (int i = 0; i < X.length; i++) {
            assertThat(lof.score(X[i], i)).as("LOF of training point %d", i).isCloseTo(train[i], within(1e-9));
        }
        for (int i = 0; i < Q.length; i++) {
            assertThat(lof.score(Q[i], -1)).as("LOF of new point %d", i).isCloseTo(novel[i], within(1e-9));
        }
    }

    @Test
    void isolationForestPathLengthNormaliserIsThePapers() {
        // c(n) = 2 H(n-1) - 2 (n-1)/n with H(i) = ln i + 0.5772156649
        assertThat(IsolationForest.c(1)).isEqualTo(0.0);
        assertThat(IsolationForest.c(2)).isEqualTo(1.0);
        assertThat(IsolationForest.c(256)).isCloseTo(2 * (Math.log(255) + 0.5772156649) - 2.0 * 255 / 256, within(1e-12));
        assertThat(IsolationForest.c(256)).isCloseTo(10.2448, within(1e-4));
    }

    @Test
    void isolationForestScoresMatchScikitLearnWithinMonteCarloError() {
        // IsolationForest(n_estimators=3000, max_samples=32, random_state=0).fit(X): -score_samples for Q and the 3 outliers
        double[] expected = {0.381303116847438, 0.625063984338027, 0.6201226807287826, 0.7357807986093805,
                0.696706084447798, 0.6469270840966656};
        IsolationForest f = IsolationForest.fit(X, 3000, 32, 5);
        double[][] probe = {Q[0], Q[1], Q[2], X[40], X[41], X[42]};
        for (int i = 0; i < probe.length; i++) {
            assertThat(f.score(probe[i])).as("s(x) of probe %d", i).isCloseTo(expected[i], within(0.015));
        }
        assertThat(f.score(X[40])).isGreaterThan(f.score(Q[0]) + 0.2);
    }

    @Test
    void robustScalerUsesIqrThenMadThenStd() {
        double[][] x = {{1, 5, 0}, {2, 5, 0}, {3, 5, 0}, {4, 5, 0}, {5, 9, 1}};
        RobustScaler s = RobustScaler.fit(x);
        assertThat(s.median()).containsExactly(3, 5, 0);
        assertThat(s.scale()[0]).isCloseTo(2 / 1.349, within(1e-12)); // IQR 4 - 2
        // column 2: IQR 0, MAD 0 -> std of {5,5,5,5,9} = 1.6
        assertThat(s.scale()[1]).isCloseTo(1.6, within(1e-12));
        assertThat(s.scale()[2]).isCloseTo(0.4, within(1e-12));
        assertThat(RobustScaler.fit(new double[][]{{7}, {7}}).scale()[0]).isEqualTo(1.0);
    }
}
