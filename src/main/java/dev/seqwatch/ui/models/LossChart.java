package dev.seqwatch.ui.models;

import dev.seqwatch.ui.chart.ChartView;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;

/** Training metrics (e.g. loss per epoch) as they arrive, one line per metric name. */
public final class LossChart extends ChartView {
    private final XYSeriesCollection data = new XYSeriesCollection();
    private final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);

    public LossChart() {
        super(new XYPlot());
        NumberAxis x = new NumberAxis("epoch");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis("training loss");
        y.setAutoRangeIncludesZero(false);
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        renderer.setDefaultStroke(new BasicStroke(2f));
        renderer.setAutoPopulateSeriesStroke(false);
        renderer.setSeriesPaint(0, new Color(0x2c7bb6));
        renderer.setSeriesPaint(1, new Color(0xd7191c));
        plot.setRenderer(renderer);
        plot.setDataset(data);
        setTheme(false);
    }

    public void clear() {
        data.removeAllSeries();
    }

    public void add(String name, double x, double value) {
        XYSeries s;
        int i = data.getSeriesIndex(name);
        if (i < 0) {
            s = new XYSeries(name, true, true);
            data.addSeries(s);
        } else {
            s = data.getSeries(i);
        }
        s.addOrUpdate(x, value);
    }
}
