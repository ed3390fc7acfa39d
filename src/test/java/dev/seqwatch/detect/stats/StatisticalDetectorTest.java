package dev.seqwatch.detect.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatisticalDetectorTest {
    @Test
    void topMeanAveragesTheLargestDeviations() {
        assertThat(StatisticalDetector.topMean(new double[]{0.5, 4, 1, 2}, 3)).isEqualTo((4 + 2 + 1) / 3.0);
        assertThat(StatisticalDetector.topMean(new double[]{7}, 3)).isEqualTo(7.0);
    }
}
