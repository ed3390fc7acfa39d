package dev.seqwatch.export;

/**
 * The step-score colour scale: blue (expected) through pale yellow to red, where red means "at or above
 * the step-score threshold". Headless charts use it directly; the workbench's
 * {@code ui.heatmap.StepScoreColors} builds its lookup table from {@link #rgbAt}, so both show the same
 * colours.
 */
public final class ScoreColors {
    private static final int[] STOPS = {0x2c7bb6, 0xabd9e9, 0xffffbf, 0xfdae61, 0xd7191c};
    static final int MISSING = 0xffdddddd;
    private final double max;

    ScoreColors(double max) {
        this.max = max > 0 && !Double.isInfinite(max) ? max : 1;
    }

    double max() {
        return max;
    }

    /** RGB of {@code score}; NaN (no score) is light grey. */
    int rgb(double score) {
        if (Double.isNaN(score)) {
            return MISSING & 0xffffff;
        }
        return rgbAt(Math.max(0, Math.min(1, score / max)));
    }

    /** RGB at {@code fraction} (0 = expected, 1 = threshold) of the scale, linear between the stops. */
    public static int rgbAt(double fraction) {
        double x = fraction * (STOPS.length - 1);
        int k = Math.min(STOPS.length - 2, (int) x);
        double f = x - k;
        int a = STOPS[k];
        int b = STOPS[k + 1];
        int r = (int) Math.round(((a >> 16) & 255) * (1 - f) + ((b >> 16) & 255) * f);
        int g = (int) Math.round(((a >> 8) & 255) * (1 - f) + ((b >> 8) & 255) * f);
        int bl = (int) Math.round((a & 255) * (1 - f) + (b & 255) * f);
        return (r << 16) | (g << 8) | bl;
    }
}
