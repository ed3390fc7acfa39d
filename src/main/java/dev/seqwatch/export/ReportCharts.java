package dev.seqwatch.export;

import dev.seqwatch.workflow.InvestigationService.StepMatrix;
import dev.seqwatch.workflow.InvestigationService.TimelineStep;
import dev.seqwatch.workflow.InvestigationService.UserTimeline;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYShapeRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

/**
 * The report's charts, drawn headless with JFreeChart's AWT API (no JavaFX): a user's timeline
 * (time x action lane, dots coloured by step score) and the step-score heatmap (users x steps).
 * Colours follow the workbench: red = at or above the step-score threshold.
 */
public final class ReportCharts {
    private ReportCharts() {
    }

    /**
     * Timeline of one user; {@code scaleMax} is the score drawn fully red (the step threshold).
     * {@code bySteps}: x is the event number (evenly spaced, readable when sessions are bursts of
     * seconds days apart), else the time.
     */
    public static JFreeChart timeline(UserTimeline t, double scaleMax, boolean bySteps) {
        ScoreColors colors = new ScoreColors(scaleMax);
        List<TimelineStep> steps = t.steps();
        List<String> lanes = t.actions();
        XYPlot plot = new XYPlot();
        SymbolAxis y = new SymbolAxis("action", lanes.toArray(String[]::new));
        y.setGridBandsVisible(false);
        plot.setRangeAxis(y);
        if (bySteps) {
            NumberAxis x = new NumberAxis("event number");
            x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            x.setAutoRangeIncludesZero(false);
            plot.setDomainAxis(x);
        } else {
            DateAxis x = new DateAxis("time (UTC)");
            x.setTimeZone(TimeZone.getTimeZone("UTC"));
            plot.setDomainAxis(x);
        }
        Map<String, Integer> lane = new HashMap<>();
        for (int i = 0; i < lanes.size(); i++) {
            lane.put(lanes.get(i), i);
        }
        double[][] xyz = new double[3][steps.size()];
        XYSeries line = new XYSeries("order", false, true);
        for (int i = 0; i < steps.size(); i++) {
            TimelineStep s = steps.get(i);
            xyz[0][i] = bySteps ? i + 1 : s.ts();
            xyz[1][i] = lane.getOrDefault(s.action(), 0);
            xyz[2][i] = Double.isNaN(s.score()) ? Double.NaN : s.score();
            line.add(xyz[0][i], xyz[1][i]);
        }
        DefaultXYZDataset ds = new DefaultXYZDataset();
        ds.addSeries("steps", xyz);
        XYShapeRenderer dots = new XYShapeRenderer();
        dots.setDefaultShape(new Ellipse2D.Double(-5, -5, 10, 10));
        dots.setDrawOutlines(true);
        dots.setUseOutlinePaint(true);
        dots.setDefaultOutlinePaint(new Color(0x555555));
        dots.setPaintScale(new Scale(colors));
        XYLineAndShapeRenderer path = new XYLineAndShapeRenderer(true, false);
        path.setSeriesPaint(0, new Color(0xb0b0b0));
        path.setSeriesStroke(0, new BasicStroke(0.6f));
        plot.setDataset(0, ds);
        plot.setRenderer(0, dots);
        plot.setDataset(1, new XYSeriesCollection(line));
        plot.setRenderer(1, path);
        style(plot);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /**
     * Heatmap of users (rows, the first at the top) by their first steps (columns). {@code ranked}:
     * the rows are the top-ranked users in order, so the labels show their rank.
     */
    public static JFreeChart heatmap(StepMatrix m, double scaleMax, boolean ranked) {
        ScoreColors colors = new ScoreColors(scaleMax);
        int rows = m.rows();
        int n = rows * m.steps();
        double[][] xyz = new double[3][n];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < m.steps(); j++) {
                xyz[0][k] = j + 1;
                xyz[1][k] = rows - 1 - r; // rank 1 at the top
                boolean present = m.actions()[r * m.steps() + j] >= 0;
                xyz[2][k] = present ? m.score(r, j) : -1; // -1: no event, NaN: event without a score
                k++;
            }
        }
        DefaultXYZDataset ds = new DefaultXYZDataset();
        ds.addSeries("steps", xyz);
        XYBlockRenderer cells = new XYBlockRenderer();
        cells.setPaintScale(new Scale(colors));
        String[] labels = new String[rows];
        for (int r = 0; r < rows; r++) {
            labels[rows - 1 - r] = (ranked ? (r + 1) + ". " : "") + shorten(m.userIds()[r], 24);
        }
        SymbolAxis y = new SymbolAxis(null, labels);
        y.setGridBandsVisible(false);
        y.setTickLabelFont(y.getTickLabelFont().deriveFont(rows > 40 ? 8f : 10f));
        NumberAxis x = new NumberAxis("step (event number)");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setRange(0.5, Math.max(1, m.steps()) + 0.5);
        XYPlot plot = new XYPlot(ds, x, y, cells);
        style(plot);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** The colour legend as a small horizontal bar from 0 to the threshold. */
    public static BufferedImage legend(double scaleMax, int width, int height) {
        ScoreColors c = new ScoreColors(scaleMax);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            int rgb = c.rgb(scaleMax * x / (width - 1.0));
            for (int y = 0; y < height; y++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    public static BufferedImage image(JFreeChart chart, int width, int height) {
        return chart.createBufferedImage(width, height);
    }

    /** PNG bytes as a {@code data:} URI, so the report is one self-contained file. */
    public static String dataUri(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeBufferedImageAsPNG(out, img);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xe0e0e0));
        plot.setRangeGridlinePaint(new Color(0xe0e0e0));
        plot.setOutlineVisible(false);
    }

    private static String shorten(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "\u2026";
    }

    /** Negative = no event (white), NaN = event without a score (grey), else the score colour. */
    private static final class Scale implements PaintScale {
        private final ScoreColors colors;

        Scale(ScoreColors colors) {
            this.colors = colors;
        }

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
            if (v < 0) {
                return Color.WHITE;
            }
            return new Color(colors.rgb(v));
        }
    }
}
