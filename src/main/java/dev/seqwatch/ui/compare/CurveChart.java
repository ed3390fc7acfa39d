package dev.seqwatch.ui.compare;

import dev.seqwatch.ui.chart.ChartView;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;

/** ROC or PR curves of several detectors, with a legend. */
public final class CurveChart extends ChartView {
    private static final Color[] PALETTE = {new Color(0x2c7bb6), new Color(0xd7191c), new Color(0x1a9641),
            new Color(0xfdae61), new Color(0x7b3294), new Color(0x636363), new Color(0x00a6ca), new Color(0xa6611a)};
    private final XYSeriesCollection data = new XYSeriesCollection();
    private final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    private final LegendTitle legend;

    public CurveChart(String xLabel, String yLabel, boolean withLegend) {
        super(new XYPlot());
        NumberAxis x = new NumberAxis(xLabel);
        NumberAxis y = new NumberAxis(yLabel);
        x.setRange(0, 1.01);
        y.setRange(0, 1.01);
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        renderer.setAutoPopulateSeriesStroke(false);
        renderer.setDefaultStroke(new BasicStroke(1.8f));
        plot.setRenderer(renderer);
        plot.setDataset(data);
        legend = withLegend ? new LegendTitle(plot) : null;
        if (legend != null) {
            legend.setPosition(org.jfree.chart.ui.RectangleEdge.RIGHT);
            legend.setItemFont(new java.awt.Font("SansSerif", java.awt.Font.PLAIN, 10));
            chart.addLegend(legend);
        }
        setTheme(false);
    }

    public void clear() {
        data.removeAllSeries();
    }

    /** @param xy {x[], y[]} */
    public void add(String name, double[][] xy) {
        XYSeries s = new XYSeries(name, false, true);
        int step = Math.max(1, xy[0].length / 600); // screen resolution is enough
        for (int i = 0; i < xy[0].length; i += step) {
            s.add(xy[0][i], xy[1][i], false);
        }
        s.add(xy[0][xy[0].length - 1], xy[1][xy[1].length - 1], false);
        data.addSeries(s);
        int i = data.getSeriesCount() - 1;
        renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }

    @Override
    protected void themeChanged(boolean dark) {
        if (legend != null) {
            legend.setBackgroundPaint(dark ? new Color(0x1e2228) : Color.WHITE);
            legend.setItemPaint(dark ? new Color(0xd0d4da) : new Color(0x333333));
        }
    }

    JFreeChart jfree() {
        return chart;
    }
}
