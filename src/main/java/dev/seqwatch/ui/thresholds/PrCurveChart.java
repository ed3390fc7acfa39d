package dev.seqwatch.ui.thresholds;

import dev.seqwatch.ui.chart.ChartView;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.List;

/**
 * Precision over recall on labelled users, with the current threshold as a red dot. Both axes are fixed
 * at 0..1.02; drag zooms (the wheel only with Ctrl: it scrolls the side panel), Reset zoom returns.
 */
public final class PrCurveChart extends ChartView {
    private static final double HOME = 1.02;
    private final XYSeries curve = new XYSeries("PR", false, true);
    private final XYSeries current = new XYSeries("current", false, true);

    public PrCurveChart() {
        super(new XYPlot());
        NumberAxis x = new NumberAxis("recall");
        NumberAxis y = new NumberAxis("precision");
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        fixedHome(0, HOME, 0, HOME);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, true);
        r.setSeriesShapesVisible(0, false);
        r.setSeriesPaint(0, new Color(0x2c7bb6));
        r.setSeriesStroke(0, new BasicStroke(2f));
        r.setSeriesLinesVisible(1, false);
        r.setSeriesShapesVisible(1, true);
        r.setSeriesShape(1, new Ellipse2D.Double(-6, -6, 12, 12));
        r.setSeriesPaint(1, new Color(0xd7191c));
        plot.setRenderer(r);
        plot.setDataset(new XYSeriesCollection(curve) {
            {
                addSeries(current);
            }
        });
        setTheme(false);
        enableResetButton();
    }

    public void setCurve(List<ThresholdTable.Point> points) {
        curve.clear();
        for (ThresholdTable.Point p : points) {
            if (!Double.isNaN(p.precision()) && !Double.isNaN(p.recall())) {
                curve.add(p.recall(), p.precision(), false);
            }
        }
        curve.fireSeriesChanged();
    }

    public void setCurrent(ThresholdTable.Point p) {
        current.clear();
        if (p != null && !Double.isNaN(p.precision()) && !Double.isNaN(p.recall())) {
            current.add(p.recall(), p.precision());
        }
    }
}
