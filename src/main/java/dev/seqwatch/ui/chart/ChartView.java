package dev.seqwatch.ui.chart;

import javafx.scene.layout.StackPane;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;

/**
 * The one wrapper around JFreeChart FX (like MZmine's SimpleXYChart): a chart without legend or
 * title in a {@link ChartViewer} (drag = zoom, ctrl-drag = pan, wheel = zoom, tooltips on), styled
 * for the light or dark theme. Subclasses own their datasets and renderers.
 */
public class ChartView extends StackPane {
    private static final Font TICK_FONT = new Font("SansSerif", Font.PLAIN, 11);
    private static final Font LABEL_FONT = new Font("SansSerif", Font.PLAIN, 12);

    protected final XYPlot plot;
    protected final JFreeChart chart;
    protected final ChartViewer viewer;

    protected ChartView(XYPlot plot) {
        this.plot = plot;
        this.chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        this.viewer = new ChartViewer(chart);
        viewer.getCanvas().setTooltipEnabled(true);
        getChildren().add(viewer);
        getStyleClass().add("chart-view");
        setMinSize(100, 80);
        // subclasses call setTheme once their renderers exist
    }

    public final void setTheme(boolean dark) {
        Color bg = dark ? new Color(0x1e2228) : Color.WHITE;
        Color fg = dark ? new Color(0xd0d4da) : new Color(0x333333);
        Color grid = dark ? new Color(0x3a404a) : new Color(0xe2e2e2);
        chart.setBackgroundPaint(bg);
        plot.setBackgroundPaint(bg);
        plot.setOutlineVisible(false);
        plot.setDomainGridlinePaint(grid);
        plot.setRangeGridlinePaint(grid);
        plot.setDomainGridlineStroke(new BasicStroke(0.5f));
        plot.setRangeGridlineStroke(new BasicStroke(0.5f));
        for (int i = 0; i < plot.getDomainAxisCount(); i++) {
            style(plot.getDomainAxis(i), fg);
        }
        for (int i = 0; i < plot.getRangeAxisCount(); i++) {
            style(plot.getRangeAxis(i), fg);
        }
        themeChanged(dark);
    }

    /** Hook for subclasses whose series colours depend on the theme. */
    protected void themeChanged(boolean dark) {
    }

    protected static void style(Axis a, Color fg) {
        if (a == null) {
            return;
        }
        a.setTickLabelPaint(fg);
        a.setLabelPaint(fg);
        a.setAxisLinePaint(fg);
        a.setTickMarkPaint(fg);
        a.setTickLabelFont(TICK_FONT);
        a.setLabelFont(LABEL_FONT);
    }

    /** Resets zoom and pan. */
    public void restoreAutoBounds() {
        plot.getDomainAxis().setAutoRange(true);
        plot.getRangeAxis().setAutoRange(true);
    }

    public JFreeChart chart() {
        return chart;
    }
}
