package dev.seqwatch.ui.heatmap;

import dev.seqwatch.export.ScoreColors;

/**
 * The step-score colour scale shared by the heatmap, the timeline and the legend: a 256-entry
 * lookup table of {@link ScoreColors} (blue = expected, through pale yellow, to red = surprising), from 0
 * to {@code max}.
 */
public final class StepScoreColors {
    private static final int[] LUT = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            LUT[i] = 0xff000000 | ScoreColors.rgbAt(i / 255.0);
        }
    }

    private final double max;

    public StepScoreColors(double max) {
        this.max = max > 0 ? max : 1;
    }

    public double max() {
        return max;
    }

    /** ARGB colour of {@code score}; scores above max saturate. */
    public int argb(double score) {
        int i = (int) (score / max * 255);
        return LUT[Math.max(0, Math.min(255, i))];
    }

    public static int lut(int i) {
        return LUT[i];
    }

    /** A scale maximum robust to a few extreme steps: the 99th percentile of the scored steps. */
    public static double robustMax(float[] scores) {
        float[] v = new float[scores.length];
        int n = 0;
        for (float s : scores) {
            if (!Float.isNaN(s)) {
                v[n++] = s;
            }
        }
        if (n == 0) {
            return 1;
        }
        java.util.Arrays.sort(v, 0, n);
        return Math.max(1e-6, v[Math.min(n - 1, (int) (n * 0.99))]);
    }
}
