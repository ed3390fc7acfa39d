package dev.seqwatch.detect.stats;

import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.sequence.SequenceSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StatisticalDetectorTest {
    private static final SequenceSet EMPTY = new SequenceSet(List.of(), List.of(), List.of(), List.of());

    @Test
    void topMeanAveragesTheLargestDeviations() {
        assertThat(StatisticalDetector.topMean(new double[]{0.5, 4, 1, 2}, 3)).isEqualTo((4 + 2 + 1) / 3.0);
        assertThat(StatisticalDetector.topMean(new double[]{7}, 3)).isEqualTo(7.0);
    }

    @Test
    void iqrAndZDeviationsByHand() {
        // two columns over five users: quartiles (numpy linear) of {0,1,2,3,4} are 1 and 3; of {0,0,0,0,10} 0 and 0
        double[][] z = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 10}};
        StatisticalDetector iqr = new StatisticalDetector();
        iqr.readParams(new FitOptions(0, 1, false, LabelSet.empty(), Map.of("method", "iqr", "top", "1")));
        iqr.fitVectors(z, EMPTY, FitOptions.defaults(), ProgressListener.NONE);
        double[] s = iqr.scoreVectors(new double[][]{{7, 0}, {2, 0}, {2, -2}}, EMPTY, ProgressListener.NONE);
        assertThat(s[0]).isCloseTo((7 - 3) / 2.0, within(1e-12)); // 4 above Q3, IQR 2
        assertThat(s[1]).isEqualTo(0.0);                           // inside the box
        assertThat(s[2]).isCloseTo(2.0, within(1e-12));            // column 2 has IQR 0 -> unit scale
        StatisticalDetector zs = new StatisticalDetector();
        zs.readParams(new FitOptions(0, 1, false, LabelSet.empty(), Map.of("method", "z", "top", "2")));
        zs.fitVectors(z, EMPTY, FitOptions.defaults(), ProgressListener.NONE);
        // already-scaled input: |z| per column, mean of the two largest
        assertThat(zs.scoreVectors(new double[][]{{-3, 1}}, EMPTY, ProgressListener.NONE)[0]).isCloseTo(2.0, within(1e-12));
    }
}
