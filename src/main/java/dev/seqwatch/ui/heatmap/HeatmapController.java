package dev.seqwatch.ui.heatmap;

import dev.seqwatch.workflow.InvestigationService.StepMatrix;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;

/** Shows the matrix as one pixel per cell, scaled up without smoothing; click opens the user at that step. */
public final class HeatmapController {
    private static final int EMPTY_LIGHT = 0xfff4f4f4;
    private static final int EMPTY_DARK = 0xff23272e;
    private static final int NO_SCORE = 0xff9e9e9e;

    private final HeatmapViewModel vm;
    private final Runnable showTimeline;
    private final dev.seqwatch.ui.common.Theme theme;
    private final ScoreLegend legend = new ScoreLegend();
    private int[] buffer = new int[0];

    @FXML private Label caption;
    @FXML private Pane imageHost;
    @FXML private ImageView image;
    @FXML private ImageView strip;
    @FXML private Label hover;
    @FXML private HBox legendHost;

    public HeatmapController(HeatmapViewModel vm, dev.seqwatch.ui.common.Theme theme, Runnable showTimeline) {
        this.vm = vm;
        this.theme = theme;
        this.showTimeline = showTimeline;
    }

    @FXML
    private void initialize() {
        legendHost.getChildren().add(legend);
        caption.textProperty().bind(vm.captionProperty());
        hover.textProperty().bind(vm.hoverProperty());
        image.setSmooth(false);
        image.setPreserveRatio(false);
        image.fitWidthProperty().bind(imageHost.widthProperty());
        image.fitHeightProperty().bind(imageHost.heightProperty());
        strip.setSmooth(false);
        strip.setPreserveRatio(false);
        strip.setFitWidth(10);
        strip.fitHeightProperty().bind(imageHost.heightProperty());
        vm.model().labelSetProperty().addListener(o -> redrawStrip());
        vm.model().userThresholdProperty().addListener(o -> redrawStrip());
        vm.matrixProperty().addListener(o -> redraw());
        vm.colorsProperty().addListener(o -> redraw());
        theme.darkProperty().addListener(o -> redraw());
        image.setOnMouseMoved(e -> vm.hover(row(e), step(e)));
        image.setOnMouseExited(e -> vm.hover(-1, -1));
        image.setOnMouseClicked(e -> {
            if (vm.open(row(e), step(e))) {
                showTimeline.run();
            }
        });
    }

    /** Draws the matrix into the image; returns the time it took in nanoseconds. */
    public long redraw() {
        long t0 = System.nanoTime();
        StepMatrix m = vm.matrixProperty().get();
        if (m == null || m.rows() == 0) {
            image.setImage(null);
            return 0;
        }
        int w = m.steps();
        int h = m.rows();
        if (buffer.length != w * h) {
            buffer = new int[w * h];
        }
        StepScoreColors c = vm.colorsProperty().get();
        StepScoreHeatmap.render(m, c, theme.isDark() ? EMPTY_DARK : EMPTY_LIGHT, NO_SCORE, buffer);
        WritableImage img = image.getImage() instanceof WritableImage wi && wi.getWidth() == w && wi.getHeight() == h
                ? wi : new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), buffer, 0, w);
        image.setImage(img);
        legend.setScale(c);
        redrawStrip();
        return System.nanoTime() - t0;
    }

    /** Label / flag marks per row: red fraud, green normal, amber flagged. */
    private void redrawStrip() {
        int[] marks = vm.rowMarks();
        if (marks.length == 0) {
            strip.setImage(null);
            return;
        }
        int[] px = new int[marks.length];
        int[] colors = {theme.isDark() ? EMPTY_DARK : EMPTY_LIGHT, 0xff1a7f37, 0xffd7191c, 0xfff0b429};
        for (int i = 0; i < marks.length; i++) {
            px[i] = colors[marks[i]];
        }
        WritableImage img = new WritableImage(1, marks.length);
        img.getPixelWriter().setPixels(0, 0, 1, marks.length, PixelFormat.getIntArgbInstance(), px, 0, 1);
        strip.setImage(img);
    }

    private int row(MouseEvent e) {
        StepMatrix m = vm.matrixProperty().get();
        return m == null ? -1 : (int) (e.getY() / image.getFitHeight() * m.rows());
    }

    private int step(MouseEvent e) {
        StepMatrix m = vm.matrixProperty().get();
        return m == null ? -1 : (int) (e.getX() / image.getFitWidth() * m.steps());
    }

    public void setShown(boolean shown) {
        vm.setVisible(shown);
    }
}
