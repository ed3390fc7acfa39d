package dev.seqwatch.ui.timeline;

import dev.seqwatch.ui.chart.ChartView;
import dev.seqwatch.ui.heatmap.StepScoreColors;
import dev.seqwatch.workflow.InvestigationService.TimelineStep;
import dev.seqwatch.workflow.InvestigationService.UserTimeline;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.entity.XYItemEntity;
import org.jfree.chart.fx.interaction.ChartMouseEventFX;
import org.jfree.chart.fx.interaction.ChartMouseListenerFX;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYShapeRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.util.List;
import java.util.TimeZone;
import java.util.function.IntConsumer;

/**
 * One user's events: x = time (or step number), y = one lane per action, each event a dot coloured
 * by its step score (the heatmap's scale); a faint line follows the order of events.
 */
public final class TimelineChart extends ChartView {
    private final XYShapeRenderer dots = new XYShapeRenderer();
    private final XYLineAndShapeRenderer path = new XYLineAndShapeRenderer(true, false);
    private List<TimelineStep> steps = List.of();
    private ValueMarker marker;
    private StepScoreColors colors = new StepScoreColors(1);
    private boolean dark;
    private boolean clicked;

    public TimelineChart(IntConsumer onStepClicked) {
        super(new XYPlot(), true); // the timeline fills its tab: the wheel zooms it (README)
        dots.setDefaultShape(new Ellipse2D.Double(-5, -5, 10, 10));
        dots.setDrawOutlines(true);
        dots.setUseOutlinePaint(true);
        dots.setDefaultOutlinePaint(new Color(0x555555));
        dots.setPaintScale(new ScoreScale());
        dots.setDefaultToolTipGenerator((ds, series, item) -> item < steps.size() ? TimelineViewModel.describe(steps.get(item)) : null);
        path.setSeriesPaint(0, new Color(0x999999));
        path.setSeriesStroke(0, new BasicStroke(0.6f));
        plot.setRenderer(0, dots);
        plot.setRenderer(1, path);
        viewer.addChartMouseListener(new ChartMouseListenerFX() {
            @Override
            public void chartMouseClicked(ChartMouseEventFX e) {
                if (e.getEntity() instanceof XYItemEntity it && it.getDataset() == plot.getDataset(0)) {
                    clicked = true;
                    try {
                        onStepClicked.accept(it.getItem());
                    } finally {
                        clicked = false;
                    }
                }
            }

            @Override
            public void chartMouseMoved(ChartMouseEventFX e) {
            }
        });
        setData(null, false, new StepScoreColors(1));
        setTheme(false);
    }

    private final class ScoreScale implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return colors.max();
        }

        @Override
        public Paint getPaint(double v) {
            return Double.isNaN(v) || v < 0 ? new Color(0xbbbbbb) : new Color(colors.argb(v), true);
        }
    }

    public void setData(UserTimeline t, boolean bySteps, StepScoreColors c) {
        this.colors = c;
        this.steps = t == null ? List.of() : t.steps();
        List<String> lanes = t == null ? List.of() : t.actions();
        SymbolAxis y = new SymbolAxis(null, lanes.toArray(String[]::new));
        y.setGridBandsVisible(false);
        plot.setRangeAxis(y);
        if (bySteps) {
            NumberAxis x = new NumberAxis("step");
            x.setAutoRangeIncludesZero(false);
            x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            plot.setDomainAxis(x);
        } else {
            DateAxis x = new DateAxis("time (UTC)");
            x.setTimeZone(TimeZone.getTimeZone("UTC"));
            // the standard units are chosen for label width without margins: the times touched each other
            x.setTickLabelInsets(new org.jfree.chart.ui.RectangleInsets(2, 12, 2, 12));
            plot.setDomainAxis(x);
        }
        double[][] xyz = new double[3][steps.size()];
        XYSeries line = new XYSeries("order", false, true);
        java.util.Map<String, Integer> lane = new java.util.HashMap<>();
        for (int i = 0; i < lanes.size(); i++) {
            lane.put(lanes.get(i), i);
        }
        for (int i = 0; i < steps.size(); i++) {
            TimelineStep s = steps.get(i);
            xyz[0][i] = bySteps ? i + 1 : s.ts();
            xyz[1][i] = lane.getOrDefault(s.action(), 0);
            xyz[2][i] = Double.isNaN(s.score()) ? -1 : s.score();
            line.add(xyz[0][i], xyz[1][i]);
        }
        DefaultXYZDataset ds = new DefaultXYZDataset();
        ds.addSeries("steps", xyz);
        plot.setDataset(0, ds);
        plot.setDataset(1, new XYSeriesCollection(line));
        if (marker != null) {
            plot.removeDomainMarker(marker);
            marker = null;
        }
        setTheme(dark);
    }

    /** Gap that ends a session (the detectors split sessions at 30 minutes of inactivity too). */
    private static final long SESSION_GAP_MS = 30 * 60_000L;

    /**
     * Marks step {@code i} and zooms to up to ten events either side of it (or resets for -1); on the
     * time axis only to those in the same session, so a burst days after the previous event stays
     * readable (the gap itself is in the step details).
     */
    public void markAndZoom(int i, boolean bySteps) {
        markStep(i, bySteps);
        if (i < 0 || i >= steps.size()) {
            restoreAutoBounds();
            return;
        }
        int from = Math.max(0, i - 10);
        int to = Math.min(steps.size() - 1, i + 10);
        if (!bySteps) {
            int f = i;
            while (f > from && steps.get(f).ts() - steps.get(f - 1).ts() <= SESSION_GAP_MS) {
                f--;
            }
            int t = i;
            while (t < to && steps.get(t + 1).ts() - steps.get(t).ts() <= SESSION_GAP_MS) {
                t++;
            }
            from = f;
            to = t;
        }
        double lo = bySteps ? from + 1 : steps.get(from).ts();
        double hi = bySteps ? to + 1 : steps.get(to).ts();
        double pad = Math.max((hi - lo) * 0.05, bySteps ? 0.5 : 30_000);
        plot.getDomainAxis().setRange(lo - pad, hi + pad);
    }

    /** Marks step {@code i} (or nothing for -1). */
    public void markStep(int i, boolean bySteps) {
        if (marker != null) {
            plot.removeDomainMarker(marker);
            marker = null;
        }
        if (i >= 0 && i < steps.size()) {
            marker = new ValueMarker(bySteps ? i + 1 : steps.get(i).ts());
            marker.setPaint(new Color(0xd7191c));
            marker.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[]{4, 3}, 0));
            plot.addDomainMarker(marker);
        }
    }

    /** True while a click on a dot is being handled (no zoom then: the analyst is already looking there). */
    public boolean isHandlingClick() {
        return clicked;
    }

    @Override
    protected void themeChanged(boolean dark) {
        this.dark = dark;
        path.setSeriesPaint(0, dark ? new Color(0x6b7280) : new Color(0xb0b0b0));
        dots.setDefaultOutlinePaint(dark ? new Color(0x111111) : new Color(0x555555));
    }
}
