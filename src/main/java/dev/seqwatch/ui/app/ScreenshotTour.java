package dev.seqwatch.ui.app;

import dev.seqwatch.ui.importer.ImportDialog;
import javafx.animation.PauseTransition;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.image.WritableImage;
import javafx.scene.transform.Transform;
import javafx.util.Duration;

import javax.imageio.ImageIO;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code --screenshot DIR}: walks through the views of the opened workspace, snapshots after each
 * step into DIR/NN-name.png, then exits. Used for the README's screenshots. A step waits until the
 * background tasks it started have finished (training, comparison, import), then a little longer
 * for the charts to paint.
 */
final class ScreenshotTour {
    /** What to snapshot: the main window, a node of it (a panel, at 1.5x), or the import dialog. */
    private record Shot(String name, Runnable action, Supplier<Object> target, double minSeconds, BooleanSupplier ready) {
        Shot(String name, Runnable action, Supplier<Object> target, double minSeconds) {
            this(name, action, target, minSeconds, () -> true);
        }
    }

    private static final double SETTLE_SECONDS = 3;
    private static final double MAX_WAIT_SECONDS = 900;

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
        shots.add(new Shot("01-start", () -> { }, this::mainScene, SETTLE_SECONDS));
        play(0);
    }

    void run(WorkspaceViews v) {
        if (started) {
            return;
        }
        started = true;
        WorkspaceModel m = v.model();
        Supplier<Object> main = this::mainScene;
        shots.add(new Shot("", () -> {
            if (!m.rows().isEmpty()) {
                m.open(m.rows().get(0).userId(), -1);
            }
        }, main, SETTLE_SECONDS));
        shots.add(new Shot("02-queue-timeline", () -> v.timeline().selectMostSurprisingStep(), main, SETTLE_SECONDS));
        // the heatmap's matrix loads quietly (no task in the status bar): wait for its image
        shots.add(new Shot("03-heatmap", () -> v.controller().selectTab("heatmapTab"), main, 4, () -> {
            Node img = window.stage().getScene().lookup("#heatmapImage .image-view");
            return img instanceof javafx.scene.image.ImageView iv && iv.getImage() != null;
        }));
        shots.add(new Shot("04-models", () -> {
            v.controller().selectTab("modelsTab");
            v.controller().trainAndCompareForScreenshot();
        }, main, 8));
        shots.add(new Shot("05-compare", () -> {
            v.controller().selectTab("compareTab");
            v.controller().runComparisonForScreenshot();
        }, main, 8));
        shots.add(new Shot("06-labelling", () -> {
            v.controller().selectTab("timelineTab");
            v.controller().labelForScreenshot("new device, password and address changed, then paid", 3);
        }, () -> node(".labelling-view"), SETTLE_SECONDS));
        shots.add(new Shot("08-thresholds", () -> {
            // a little below the current threshold, so more users are flagged than at the default
            m.userThresholdProperty().set(m.userThresholdProperty().get() * 0.9);
        }, () -> node(".threshold-view"), SETTLE_SECONDS));
        shots.add(new Shot("09-import-preview", () -> {
            ImportDialog d = v.importDialog();
            d.show();
            d.viewModel().choose(importExample(m));
        }, () -> v.importDialog().stage().getScene(), SETTLE_SECONDS));
        shots.add(new Shot("10-import-summary", () -> v.importDialog().viewModel().startImport(),
                () -> v.importDialog().stage().getScene(), SETTLE_SECONDS));
        shots.add(new Shot("07-dark", () -> {
            v.importDialog().stage().hide();
            v.controller().selectTab("timelineTab");
            app.theme().darkProperty().set(true);
        }, main, SETTLE_SECONDS));
        play(0);
    }

    private Object mainScene() {
        return window.stage().getScene();
    }

    private Object node(String selector) {
        return window.stage().getScene().lookup(selector);
    }

    /**
     * A small log as an analyst might import: the first 600 events of the workspace's own sample moved
     * 31 days later (so they are new events, not duplicates) plus a few broken rows, the kind the
     * import summary must explain.
     */
    private Path importExample(WorkspaceModel m) {
        try {
            Path src = dev.seqwatch.workflow.SampleSession.locate().resolve("events.csv");
            Path out = Files.createTempDirectory("seqwatch-shot").resolve("shop-week-14.csv");
            try (BufferedReader r = Files.newBufferedReader(src); BufferedWriter w = Files.newBufferedWriter(out)) {
                w.write(r.readLine());
                w.newLine();
                for (int i = 0; i < 600; i++) {
                    String[] f = r.readLine().split(",", -1);
                    f[1] = Instant.parse(f[1]).plus(31, ChronoUnit.DAYS).toString();
                    w.write(String.join(",", f));
                    w.newLine();
                    if (i == 120) {
                        w.write("u_9001,2026-04-31T25:61:00Z,view,i1,c1,");
                        w.newLine();
                    }
                    if (i == 300) {
                        w.write(",2026-04-02T10:00:00Z,buy,i17,c3,19.90");
                        w.newLine();
                        w.write("u_9002,2026-04-02T10:00:05Z,,i17,c3,");
                        w.newLine();
                    }
                    if (i == 450) {
                        w.write("u_9003,2026-04-02T11:00:00Z,buy,i17,c3,twelve");
                        w.newLine();
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void play(int i) {
        if (i >= shots.size()) {
            app.theme().darkProperty().set(false);
            WorkbenchApp.exit();
            return;
        }
        Shot s = shots.get(i);
        s.action().run();
        waitThenShoot(s, i, 0);
    }

    /** Polls every half second: at least the step's minimum, then until no visible task runs. */
    private void waitThenShoot(Shot s, int i, double waited) {
        PauseTransition wait = new PauseTransition(Duration.seconds(0.5));
        wait.setOnFinished(e -> {
            double w = waited + 0.5;
            boolean busy = !app.tasks().running().isEmpty() || !s.ready().getAsBoolean();
            if ((w < s.minSeconds() || busy) && w < MAX_WAIT_SECONDS) {
                waitThenShoot(s, i, w);
                return;
            }
            // the charts repaint after the data arrives: one more short pause
            PauseTransition settle = new PauseTransition(Duration.seconds(busy ? 0 : 1.5));
            settle.setOnFinished(x -> {
                if (!s.name().isEmpty()) {
                    snapshot(s.target().get(), s.name() + ".png");
                }
                play(i + 1);
            });
            settle.play();
        });
        wait.play();
    }

    private void snapshot(Object target, String name) {
        WritableImage img;
        if (target instanceof Scene sc) {
            img = sc.snapshot(null);
        } else if (target instanceof Node n) {
            SnapshotParameters sp = new SnapshotParameters();
            sp.setTransform(Transform.scale(1.5, 1.5));
            img = n.snapshot(sp, null);
        } else {
            System.err.println("seqwatch: nothing to snapshot for " + name);
            return;
        }
        try {
            Files.createDirectories(dir);
            ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", dir.resolve(name).toFile());
            System.out.println("screenshot " + dir.resolve(name));
        } catch (IOException e) {
            System.err.println("seqwatch: cannot write screenshot " + name + ": " + e.getMessage());
        }
    }
}
