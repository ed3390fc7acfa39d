package dev.seqwatch.ui.heatmap;

import dev.seqwatch.workflow.InvestigationService.StepMatrix;

/**
 * Draws users x steps into an ARGB pixel buffer, one pixel per cell (the view scales it up without
 * smoothing), so 10^5+ cells redraw in milliseconds instead of one chart shape per cell. Steps
 * above the step threshold can be outlined by brightening them to full red.
 */
public final class StepScoreHeatmap {
    private StepScoreHeatmap() {
    }

    /**
     * @param empty  colour of cells without an event
     * @param noScore colour of events without a step score (e.g. a user's first event)
     */
    public static void render(StepMatrix m, StepScoreColors colors, int empty, int noScore, int[] argb) {
        int steps = m.steps();
        float[] s = m.scores();
        short[] a = m.actions();
        for (int i = 0, n = m.rows() * steps; i < n; i++) {
            float v = s[i];
            if (Float.isNaN(v)) {
                argb[i] = a[i] < 0 ? empty : noScore;
            } else {
                argb[i] = colors.argb(v);
            }
        }
    }
}
