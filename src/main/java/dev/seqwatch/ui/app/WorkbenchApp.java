package dev.seqwatch.ui.app;

import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.ui.common.ErrorDialogs;
import dev.seqwatch.ui.common.FxTaskExecutor;
import dev.seqwatch.ui.common.Theme;
import dev.seqwatch.workflow.SampleSession;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The composition root: builds the application services once and hands them to the window.
 * Arguments: none (start page), {@code --open WS}, {@code --sample}; {@code --screenshot DIR} after
 * either snapshots every view into DIR and exits.
 */
public final class WorkbenchApp extends Application {
    private ExecutorService pool;
    private ExecutorService sliderWorker;
    private WorkbenchWindow window;

    @Override
    public void start(Stage stage) {
        List<String> args = getParameters().getRaw();
        ResourceBundle text = ResourceBundle.getBundle("i18n.messages");
        Path home = AppSettings.home();
        AppSettings settings = AppSettings.load(home);
        pool = Executors.newCachedThreadPool(daemon("seqwatch-task"));
        sliderWorker = Executors.newSingleThreadExecutor(daemon("seqwatch-slider"));
        ErrorDialogs errors = new ErrorDialogs(text, () -> stage);
        FxTaskExecutor tasks = new FxTaskExecutor(pool, errors::show);
        DetectorRegistry detectors = DetectorRegistry.standard();
        AppServices app = new AppServices(text, tasks, new Theme(), errors, settings, detectors,
                sliderWorker, home, System.getProperty("user.name", "analyst"),
                p -> SampleSession.open(home.resolve("samples"), detectors, p));
        window = new WorkbenchWindow(stage, app);
        window.showStart();
        stage.show();
        int shot = args.indexOf("--screenshot");
        if (shot >= 0 && shot + 1 < args.size()) {
            ScreenshotTour tour = new ScreenshotTour(Path.of(args.get(shot + 1)), window, app);
            window.setOnWorkspaceShown(tour::run);
            if (!args.contains("--open") && !args.contains("--sample")) {
                tour.startPageOnly();
            }
        }
        int open = args.indexOf("--open");
        if (args.contains("--sample")) {
            window.openSample();
        } else if (open >= 0 && open + 1 < args.size()) {
            Path ws = Path.of(args.get(open + 1));
            if (java.nio.file.Files.exists(dev.seqwatch.store.Workspace.fileOf(ws))) {
                window.openWorkspace(ws);
            } else {
                // --open opens; a mistyped name must not create an empty workspace (New workspace does that)
                errors.show(new UserFacingException("no workspace at " + dev.seqwatch.store.Workspace.fileOf(ws)
                        + " (create one with seqwatch import, or New workspace on the start page)"));
            }
        } else if (open >= 0) {
            errors.show(new UserFacingException("--open needs a workspace file, e.g. --open my-shop.mv.db"));
        }
    }

    @Override
    public void stop() {
        if (window != null) {
            window.shutdown();
        }
        if (pool != null) {
            pool.shutdownNow();
            sliderWorker.shutdownNow();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public WorkbenchWindow window() {
        return window;
    }

    /** Exits after the screenshot tour. */
    static void exit() {
        Platform.exit();
    }
}
