package dev.seqwatch.ui.app;

import dev.seqwatch.ui.common.ControllerFactory;
import dev.seqwatch.ui.common.FxTaskExecutor;
import dev.seqwatch.ui.common.Theme;
import dev.seqwatch.ui.common.ViewLoader;
import dev.seqwatch.ui.heatmap.HeatmapController;
import dev.seqwatch.ui.importer.ImportDialog;
import dev.seqwatch.ui.importer.ImportViewModel;
import dev.seqwatch.ui.heatmap.HeatmapViewModel;
import dev.seqwatch.ui.labelling.LabellingController;
import dev.seqwatch.ui.labelling.LabellingViewModel;
import dev.seqwatch.ui.queue.QueueController;
import dev.seqwatch.ui.queue.QueueViewModel;
import dev.seqwatch.ui.thresholds.ThresholdController;
import dev.seqwatch.ui.thresholds.ThresholdViewModel;
import dev.seqwatch.ui.timeline.TimelineController;
import dev.seqwatch.ui.timeline.TimelineViewModel;
import dev.seqwatch.ui.compare.CompareController;
import dev.seqwatch.ui.compare.CompareViewModel;
import dev.seqwatch.ui.models.ModelsController;
import dev.seqwatch.ui.models.ModelsViewModel;
import dev.seqwatch.workflow.InvestigationService;
import dev.seqwatch.workflow.ModelService;
import javafx.application.Platform;
import javafx.scene.Parent;

import java.util.ResourceBundle;
import java.util.concurrent.Executor;

/**
 * Builds the view-models and controllers of one open workspace and loads the main view with them
 * (the per-workspace part of the composition root).
 */
public final class WorkspaceViews {
    private final WorkspaceModel model;
    private final Parent root;
    private final MainController main;
    private final TimelineViewModel timelineVm;
    private final ImportDialog importDialog;

    public WorkspaceViews(AppServices app, InvestigationService service, Navigator nav) {
        FxTaskExecutor tasks = app.tasks();
        Theme theme = app.theme();
        model = new WorkspaceModel(service, tasks);
        Executor fx = Platform::runLater;
        QueueViewModel queue = new QueueViewModel(model);
        TimelineViewModel timeline = new TimelineViewModel(model);
        timelineVm = timeline;
        LabellingViewModel labelling = new LabellingViewModel(model);
        ThresholdViewModel thresholds = new ThresholdViewModel(model, app.sliderWorker(), fx);
        HeatmapViewModel heatmap = new HeatmapViewModel(model);
        ModelsViewModel models = new ModelsViewModel(model, new ModelService(service.workspace(), app.detectors()),
                app.detectors().names());
        MainController[] mainRef = new MainController[1];
        ResourceBundle text = app.text();
        importDialog = new ImportDialog(new ImportViewModel(service.workspace(), tasks, () -> model.reload(() -> { })),
                text, theme, () -> mainRef[0].split().getScene().getWindow());
        ControllerFactory controllers = new ControllerFactory()
                .with(QueueController.class, () -> new QueueController(queue))
                .with(TimelineController.class, () -> new TimelineController(timeline, theme))
                .with(LabellingController.class, () -> new LabellingController(labelling))
                .with(ThresholdController.class, () -> new ThresholdController(thresholds, theme))
                .with(HeatmapController.class, () -> new HeatmapController(heatmap, theme, () -> mainRef[0].showTimeline()))
                .with(ModelsController.class, () -> new ModelsController(models, theme))
                .with(CompareController.class, () -> new CompareController(new CompareViewModel(model, app.detectors()), theme))
                .with(MainController.class, () -> new MainController(model, labelling, timeline, nav, theme, tasks.running(),
                        importDialog::show));
        ViewLoader.View<MainController> v = new ViewLoader(text, controllers).load("main");
        root = v.root();
        main = v.controller();
        mainRef[0] = main;
    }

    public Parent root() {
        return root;
    }

    public MainController controller() {
        return main;
    }

    public TimelineViewModel timeline() {
        return timelineVm;
    }

    public ImportDialog importDialog() {
        return importDialog;
    }

    public WorkspaceModel model() {
        return model;
    }
}
