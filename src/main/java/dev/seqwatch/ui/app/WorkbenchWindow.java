package dev.seqwatch.ui.app;

import dev.seqwatch.store.Workspace;
import dev.seqwatch.ui.common.BackgroundTask;
import dev.seqwatch.ui.common.ControllerFactory;
import dev.seqwatch.ui.common.ViewLoader;
import dev.seqwatch.ui.start.StartController;
import dev.seqwatch.ui.start.StartViewModel;
import dev.seqwatch.workflow.InvestigationService;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The one stage: shows the start page or an open workspace, opens workspaces off the FX thread,
 * and remembers the window layout and the last workspace.
 */
public final class WorkbenchWindow implements Navigator {
    private final Stage stage;
    private final AppServices app;
    private final Scene scene;
    private Workspace open;
    private WorkspaceViews views;
    private Consumer<WorkspaceViews> onWorkspaceShown = v -> { };

    public WorkbenchWindow(Stage stage, AppServices app) {
        this.stage = stage;
        this.app = app;
        AppSettings.Values s = app.settings().values();
        // the saved size, but never larger than the screen: a 1400x900 scene on a 1024x700 screen came up
        // at 200x200 and partly off-screen under openbox
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        // (less the window manager's frame: openbox shrinks a window whose frame does not fit to its minimum)
        double w = fit(s.windowWidth, 1400, screen.getWidth() - FRAME_W);
        double h = fit(s.windowHeight, 900, screen.getHeight() - FRAME_H);
        scene = new Scene(new javafx.scene.layout.StackPane());
        scene.getStylesheets().add(WorkbenchWindow.class.getResource("/styles/workbench.css").toExternalForm());
        app.theme().darkProperty().set(s.dark);
        app.theme().darkProperty().addListener((o, a, b) -> {
            s.dark = b;
            applyTheme();
        });
        stage.setScene(scene);
        stage.setTitle(app.text().getString("app.title"));
        stage.setWidth(w);
        stage.setHeight(h);
        stage.setMinWidth(Math.min(800, screen.getWidth()));
        stage.setMinHeight(Math.min(560, screen.getHeight()));
        boolean placed = !Double.isNaN(s.windowX) && !Double.isNaN(s.windowY)
                && !javafx.stage.Screen.getScreensForRectangle(s.windowX, s.windowY, w, h).isEmpty()
                && onSomeScreen(s.windowX, s.windowY, w, h);
        double x = placed ? s.windowX : screen.getMinX() + (screen.getWidth() - w) / 2;
        double y = placed ? s.windowY : screen.getMinY() + (screen.getHeight() - h) / 2;
        stage.setX(x);
        stage.setY(y);
        stage.setMaximized(s.maximized);
        // openbox drops a size set before the window is mapped (it came up at its minimum size): set it
        // again shortly after it is shown
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_SHOWN, e -> {
            javafx.animation.PauseTransition later = new javafx.animation.PauseTransition(javafx.util.Duration.millis(250));
            later.setOnFinished(done -> {
                if (!stage.isMaximized()) {
                    stage.setWidth(w - 1);
                    stage.setHeight(h - 1);
                    stage.setWidth(w);
                    stage.setHeight(h);
                }
            });
            later.play();
        });
        stage.setOnCloseRequest(e -> shutdown());
    }

    /** Room left for a window manager's borders and title bar. */
    private static final double FRAME_W = 8;
    private static final double FRAME_H = 40;

    /** A saved window dimension, or the default, at most the screen's. */
    private static double fit(double saved, double dflt, double screen) {
        double v = Double.isFinite(saved) && saved >= 200 ? saved : dflt;
        return Math.min(v, screen);
    }

    /** True when the window's title bar area lies within a screen (so it can be grabbed). */
    private static boolean onSomeScreen(double x, double y, double w, double h) {
        for (javafx.stage.Screen sc : javafx.stage.Screen.getScreens()) {
            javafx.geometry.Rectangle2D b = sc.getVisualBounds();
            if (b.contains(x + Math.min(w, 100) / 2, y + 10)) {
                return true;
            }
        }
        return false;
    }

    /** Called after each workspace view is shown (the screenshot tour hooks in here). */
    public void setOnWorkspaceShown(Consumer<WorkspaceViews> c) {
        onWorkspaceShown = c;
    }

    private void applyTheme() {
        Parent root = scene.getRoot();
        root.getStyleClass().remove("theme-dark");
        if (app.theme().isDark()) {
            root.getStyleClass().add("theme-dark");
        }
    }

    private void setRoot(Parent root) {
        scene.setRoot(root);
        applyTheme();
    }

    @Override
    public void showStart() {
        closeWorkspace();
        stage.setTitle(app.text().getString("app.title"));
        StartViewModel vm = new StartViewModel(app.settings(), this);
        ControllerFactory f = new ControllerFactory()
                .with(StartController.class, () -> new StartController(vm, app.tasks().running()));
        setRoot(new ViewLoader(app.text(), f).load("start").root());
    }

    @Override
    public void openWorkspace(Path path) {
        open(app.text().getString("task.open") + " " + path.getFileName(), p -> Workspace.open(path));
    }

    @Override
    public void openSample() {
        open(app.text().getString("task.sample"), p -> app.sampleOpener().open(p));
    }

    private void open(String title, AppServices.WorkspaceOpener opener) {
        closeWorkspace();
        if (!(scene.getRoot().getId() != null && scene.getRoot().getId().equals("startPage"))) {
            showStart();
        }
        app.tasks().execute(BackgroundTask.create(title, opener::open).onSuccess(this::show));
    }

    private void show(Workspace ws) {
        open = ws;
        app.settings().opened(ws.file());
        app.settings().save();
        views = new WorkspaceViews(app, new InvestigationService(ws, app.analyst()), this);
        stage.setTitle(ws.file().getFileName() + " \u2013 " + app.text().getString("app.title"));
        setRoot(views.root());
        double[] d = app.settings().values().mainDividers;
        if (d != null && d.length == 2) {
            views.controller().split().setDividerPositions(d);
        }
        views.model().reload(() -> {
            views.controller().focusQueue();
            onWorkspaceShown.accept(views);
        });
    }

    private void closeWorkspace() {
        if (views != null) {
            app.settings().values().mainDividers = views.controller().split().getDividerPositions();
            views = null;
        }
        if (open != null) {
            Workspace w = open;
            open = null;
            w.close();
        }
    }

    /** Saves the layout and closes the workspace (window close or application stop). */
    public void shutdown() {
        AppSettings.Values s = app.settings().values();
        s.maximized = stage.isMaximized();
        if (!stage.isMaximized() && !stage.isIconified()) {
            s.windowX = stage.getX();
            s.windowY = stage.getY();
            s.windowWidth = stage.getWidth();
            s.windowHeight = stage.getHeight();
        }
        closeWorkspace();
        app.settings().save();
    }

    public WorkspaceViews views() {
        return views;
    }

    public Stage stage() {
        return stage;
    }
}
