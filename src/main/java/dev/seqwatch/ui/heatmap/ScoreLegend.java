package dev.seqwatch.ui.heatmap;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;

import java.util.Locale;

/** "step score: 0 [blue ... red] 8.4+" for the heatmap and the timeline. */
public final class ScoreLegend extends HBox {
    private final Label max = new Label();

    public ScoreLegend() {
        super(6);
        setAlignment(Pos.CENTER_LEFT);
        getStyleClass().add("score-legend");
        int w = 160;
        int[] px = new int[w * 12];
        for (int x = 0; x < w; x++) {
            int c = StepScoreColors.lut(x * 255 / (w - 1));
            for (int y = 0; y < 12; y++) {
                px[y * w + x] = c;
            }
        }
        WritableImage img = new WritableImage(w, 12);
        img.getPixelWriter().setPixels(0, 0, w, 12, PixelFormat.getIntArgbInstance(), px, 0, w);
        Label title = new Label("step score");
        title.getStyleClass().add("muted");
        Label zero = new Label("0 (expected)");
        for (Label l : new Label[]{title, zero}) {
            l.setMinWidth(USE_PREF_SIZE);
        }
        // the long end label wraps in a narrow view instead of pushing the view wider than its window
        max.setWrapText(true);
        max.setMinWidth(60);
        HBox.setHgrow(max, javafx.scene.layout.Priority.ALWAYS);
        getChildren().addAll(title, zero, new ImageView(img), max);
        setScale(new StepScoreColors(1));
    }

    public void setScale(StepScoreColors c) {
        max.setText(String.format(Locale.ROOT, "\u2265 %.2f (step threshold: surprising)", c.max()));
    }
}
