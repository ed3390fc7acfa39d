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

/**
 * ROC or PR curves of several detectors, with a legend. One colour per detector; its curve learned
 * from labels is solid, the one without labels dashed (eleven colours could not be told apart).
 */
public final class CurveChart extends ChartView {
    private static final Color[] PALETTE = {new Color(0x2c7bb6), new Color(0xd7191c), new Color(0x1a9641),
            new Color(0xfdae61), new Color(0x7b3294), new Color(0x636363), new Color(0x00a6ca), new Color(0xa6611a)};
    private final XYSeriesCollection data = new XYSeriesCollection();
    private final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    private final LegendTitle legend;
    private final java.util.List<String> detectors = new java.util.ArrayList<>();

    public CurveChart(String xLabel, String yLabel, boolean withLegend) {
        super(new XYPlot());
        NumberAxis x = new NumberAxis(xLabel);
        NumberAxis y = new NumberAxis(yLabel);
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        fixedHome(0, 1.01, 0, 1.01);
        renderer.setAutoPopulateSeriesStroke(false);
        renderer.setDefaultStroke(new BasicStroke(1.8f));
        plot.setRenderer(renderer);
        plot.setDataset(data);
        legend = withLegend ? new LegendTitle(plot) : null;
        if (legend != null) {
            legend.setPosition(org.jfree.chart.ui.RectangleEdge.BOTTOM);
            legend.setItemFont(new java.awt.Font("SansSerif", java.awt.Font.PLAIN, 10));
            chart.addLegend(legend);
        }
        setTheme(false);
        enableResetButton();
    }

    public void clear() {
        data.removeAllSeries();
        detectors.clear();
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
        String base = name.replace(" +labels", "").trim();
        int colour = detectors.indexOf(base);
        if (colour < 0) {
            detectors.add(base);
            colour = detectors.size() - 1;
        }
        renderer.setSeriesPaint(i, PALETTE[colour % PALETTE.length]);
        renderer.setSeriesStroke(i, name.endsWith("+labels") ? new BasicStroke(2f)
                : new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[]{5, 4}, 0));
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
