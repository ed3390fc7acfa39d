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
 * title in a {@link ChartViewer} (drag = zoom, ctrl-drag = pan, tooltips on), styled for the light or
 * dark theme. Subclasses own their datasets and renderers.
 *
 * <p>The mouse wheel zooms only with Ctrl (or the shortcut key) held, unless a subclass asks for plain
 * wheel zoom: a plain wheel over a chart in a scrolled panel scrolls the panel, as it does elsewhere.
 * {@link #enableResetButton()} adds a "Reset zoom" button over the chart while it is zoomed.
 */
public class ChartView extends StackPane {
    private static final Font TICK_FONT = new Font("SansSerif", Font.PLAIN, 11);
    private static final Font LABEL_FONT = new Font("SansSerif", Font.PLAIN, 12);

    protected final XYPlot plot;
    protected final JFreeChart chart;
    protected final ChartViewer viewer;

    private javafx.scene.control.Button resetButton;

    protected ChartView(XYPlot plot) {
        this(plot, false);
    }

    /** @param plainWheelZooms true when the wheel alone zooms (a chart that fills its view, not in a scrolled panel) */
    protected ChartView(XYPlot plot, boolean plainWheelZooms) {
        this.plot = plot;
        this.chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        this.viewer = new ChartViewer(chart);
        viewer.getCanvas().setTooltipEnabled(true);
        // the canvas's own scroll handler zooms on every wheel turn; replace it
        org.jfree.chart.fx.interaction.ScrollHandlerFX wheel = new org.jfree.chart.fx.interaction.ScrollHandlerFX("wheel-zoom");
        viewer.getCanvas().setOnScroll(e -> {
            if (plainWheelZooms || e.isShortcutDown() || e.isControlDown()) {
                wheel.handleScroll(viewer.getCanvas(), e);
                e.consume();
            }
            // otherwise not consumed: the event goes on to the panel around the chart, which scrolls
        });
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

    private org.jfree.data.Range homeX;
    private org.jfree.data.Range homeY;

    /** Fixes both axes' ranges as the chart's unzoomed view (else the unzoomed view is auto-ranged). */
    protected final void fixedHome(double x0, double x1, double y0, double y1) {
        homeX = new org.jfree.data.Range(x0, x1);
        homeY = new org.jfree.data.Range(y0, y1);
        plot.getDomainAxis().setRange(homeX);
        plot.getRangeAxis().setRange(homeY);
    }

    /** Back to the chart's unzoomed view. */
    public void resetZoom() {
        if (homeX == null) {
            restoreAutoBounds();
        } else {
            plot.getDomainAxis().setRange(homeX);
            plot.getRangeAxis().setRange(homeY);
        }
    }

    /** True while the user has zoomed or panned away from {@link #resetZoom()}'s view. */
    public boolean isZoomed() {
        if (homeX == null) {
            return !plot.getDomainAxis().isAutoRange() || !plot.getRangeAxis().isAutoRange();
        }
        return !same(plot.getDomainAxis().getRange(), homeX) || !same(plot.getRangeAxis().getRange(), homeY);
    }

    private static boolean same(org.jfree.data.Range a, org.jfree.data.Range b) {
        return Math.abs(a.getLowerBound() - b.getLowerBound()) < 1e-9 && Math.abs(a.getUpperBound() - b.getUpperBound()) < 1e-9;
    }

    /** A small "Reset zoom" button in the chart's top right corner, shown only while the chart is zoomed. */
    protected final void enableResetButton() {
        if (resetButton != null) {
            return;
        }
        resetButton = new javafx.scene.control.Button("Reset zoom");
        resetButton.getStyleClass().addAll("small", "chart-reset");
        resetButton.setFocusTraversable(false);
        resetButton.setOnAction(e -> resetZoom());
        resetButton.setVisible(false);
        resetButton.setManaged(false);
        getChildren().add(resetButton);
        StackPane.setAlignment(resetButton, javafx.geometry.Pos.TOP_RIGHT);
        StackPane.setMargin(resetButton, new javafx.geometry.Insets(4));
        plot.addChangeListener(e -> javafx.application.Platform.runLater(() -> {
            boolean z = isZoomed();
            resetButton.setVisible(z);
            resetButton.setManaged(z);
        }));
    }

    /** The reset button of {@link #enableResetButton()}, or null. */
    public javafx.scene.control.Button resetButton() {
        return resetButton;
    }

    public JFreeChart chart() {
        return chart;
    }
}
