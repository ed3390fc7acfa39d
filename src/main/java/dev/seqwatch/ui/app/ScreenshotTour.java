package dev.seqwatch.ui.app;

import javafx.animation.PauseTransition;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.util.Duration;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --screenshot DIR}: walks through the views of the opened workspace, snapshots the scene
 * after each step into DIR/NN-name.png, then exits. Used for the README's screenshots.
 */
final class ScreenshotTour {
    private record Shot(String name, Runnable action) {
    }

    private final Path dir;
    private final WorkbenchWindow window;
    private final AppServices app;
    private final List<Shot> shots = new ArrayList<>();
    private boolean started;

    ScreenshotTour(Path dir, WorkbenchWindow window, AppServices app) {
        this.dir = dir;
        this.window = window;
        this.app = app;
    }

    void startPageOnly() {
        shots.add(new Shot("01-start", () -> { }));
        play(0);
    }

    void run(WorkspaceViews v) {
        if (started) {
            return;
        }
        started = true;
        WorkspaceModel m = v.model();
        shots.add(new Shot("", () -> {
            if (!m.rows().isEmpty()) {
                m.open(m.rows().get(0).userId(), -1);
            }
        }));
        shots.add(new Shot("02-queue-timeline", () -> v.timeline().selectMostSurprisingStep()));
        shots.add(new Shot("03-heatmap", () -> v.controller().selectTab("heatmapTab")));
        shots.add(new Shot("04-models", () -> {
            v.controller().selectTab("modelsTab");
            v.controller().trainAndCompareForScreenshot();
        }));
        shots.add(new Shot("05-compare", () -> {
            v.controller().selectTab("compareTab");
            v.controller().runComparisonForScreenshot();
        }));
        shots.add(new Shot("07-dark", () -> {
            v.controller().selectTab("timelineTab");
            app.theme().darkProperty().set(true);
        }));
        play(0);
    }

    /** Adds a step that runs {@code action} before its snapshot (used for view-specific steps). */
    void add(String name, Runnable action) {
        shots.add(new Shot(name, action));
    }

    private void play(int i) {
        if (i >= shots.size()) {
            app.theme().darkProperty().set(false);
            WorkbenchApp.exit();
            return;
        }
        Shot s = shots.get(i);
        s.action().run();
        // the comparison runs several detectors: give it time
        PauseTransition wait = new PauseTransition(Duration.seconds(s.name().contains("compare") ? 40 : s.name().contains("heatmap") || s.name().contains("models") ? 15 : 4));
        wait.setOnFinished(e -> {
            if (!s.name().isEmpty()) {
                snapshot(s.name() + ".png");
            }
            play(i + 1);
        });
        wait.play();
    }

    private void snapshot(String name) {
        WritableImage img = window.stage().getScene().snapshot(null);
        try {
            Files.createDirectories(dir);
            ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", dir.resolve(name).toFile());
            System.out.println("screenshot " + dir.resolve(name));
        } catch (IOException e) {
            System.err.println("seqwatch: cannot write screenshot " + name + ": " + e.getMessage());
        }
    }
}
