package dev.seqwatch.ui.app;

import dev.seqwatch.ui.common.Theme;
import dev.seqwatch.ui.heatmap.HeatmapController;
import dev.seqwatch.ui.labelling.LabellingController;
import dev.seqwatch.ui.labelling.LabellingViewModel;
import dev.seqwatch.ui.queue.QueueController;
import javafx.beans.binding.Bindings;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;

import java.util.ResourceBundle;

/**
 * The workspace window: menu, queue | tabs (timeline, heatmap, models) | thresholds + labelling,
 * and a status bar for the running task. It routes keys; every decision sits in a view-model.
 */
public final class MainController {
    private final WorkspaceModel model;
    private final LabellingViewModel labelling;
    private final dev.seqwatch.ui.timeline.TimelineViewModel timeline;
    private final Navigator nav;
    private final Theme theme;
    private final ObservableList<Task<?>> running;
    private final Runnable importEvents;

    @FXML private SplitPane split;
    @FXML private TabPane tabs;
    @FXML private Tab timelineTab;
    @FXML private Tab heatmapTab;
    @FXML private Tab modelsTab;
    @FXML private Label workspaceLabel;
    @FXML private Label modelLabel;
    @FXML private CheckMenuItem darkItem;
    @FXML private HBox statusBar;
    @FXML private Label statusText;
    @FXML private ProgressBar statusProgress;
    @FXML private Button statusCancel;
    @FXML private QueueController queueController;
    @FXML private LabellingController labellingController;
    @FXML private HeatmapController heatmapController;
    @FXML private dev.seqwatch.ui.compare.CompareController compareController;
    @FXML private dev.seqwatch.ui.models.ModelsController modelsController;
    @FXML private ResourceBundle resources;
    private dev.seqwatch.ui.export.ExportActions exports;

    public MainController(WorkspaceModel model, LabellingViewModel labelling,
                          dev.seqwatch.ui.timeline.TimelineViewModel timeline, Navigator nav, Theme theme,
                          ObservableList<Task<?>> running, Runnable importEvents) {
        this.model = model;
        this.labelling = labelling;
        this.timeline = timeline;
        this.nav = nav;
        this.theme = theme;
        this.running = running;
        this.importEvents = importEvents;
    }

    @FXML
    private void initialize() {
        workspaceLabel.setText(model.service().workspace().file().getFileName().toString());
        modelLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            var m = model.activeModelProperty().get();
            return m == null ? resources.getString("main.model.none")
                    : String.format(resources.getString("main.model.active"), m.id(), m.detector());
        }, model.activeModelProperty()));
        darkItem.selectedProperty().bindBidirectional(theme.darkProperty());
        heatmapTab.selectedProperty().addListener((o, a, b) -> heatmapController.setShown(b));
        split.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
        // a shortcut's press is consumed, but its typed character would still reach the field the
        // shortcut focused ("/" in the search box, "e" in the note): swallow that one character
        split.addEventFilter(KeyEvent.KEY_TYPED, e -> {
            if (swallowTyped) {
                swallowTyped = false;
                e.consume();
            }
        });
        split.addEventFilter(KeyEvent.KEY_RELEASED, e -> swallowTyped = false);
        bindStatusBar();
        exports = new dev.seqwatch.ui.export.ExportActions(new dev.seqwatch.ui.export.ExportViewModel(model), resources,
                () -> split.getScene().getWindow(), nav, model.service().workspace().file());
    }

    private void bindStatusBar() {
        statusProgress.visibleProperty().bind(Bindings.isNotEmpty(running));
        statusCancel.visibleProperty().bind(Bindings.isNotEmpty(running));
        running.addListener((javafx.collections.ListChangeListener<Task<?>>) c -> {
            statusText.textProperty().unbind();
            statusProgress.progressProperty().unbind();
            if (running.isEmpty()) {
                statusText.setText(resources.getString("main.status.ready"));
            } else {
                Task<?> t = running.get(running.size() - 1);
                statusText.textProperty().bind(Bindings.createStringBinding(() -> t.getMessage() == null || t.getMessage().isEmpty()
                        ? t.getTitle() + "\u2026" : t.getTitle() + ": " + t.getMessage(), t.titleProperty(), t.messageProperty()));
                statusProgress.progressProperty().bind(t.progressProperty());
            }
        });
        statusCancel.setOnAction(e -> {
            if (!running.isEmpty()) {
                running.get(running.size() - 1).cancel();
            }
        });
        statusText.setText(resources.getString("main.status.ready"));
    }

    /** True between a consumed shortcut press and its key-typed event. */
    private boolean swallowTyped;

    /** Labelling and navigation keys, except while typing in a text field. */
    private void onKey(KeyEvent e) {
        swallowTyped = false;
        if (e.getTarget() instanceof TextInputControl) {
            if (e.getCode() == KeyCode.ESCAPE) {
                queueController.focusTable();
                e.consume();
            }
            return;
        }
        if (e.isControlDown() && e.getCode() == KeyCode.Z) {
            labelling.undo();
            e.consume();
            return;
        }
        if (e.isControlDown() || e.isAltDown() || e.isMetaDown()) {
            return;
        }
        switch (e.getCode()) {
            case N -> labelling.labelNormal();
            case F -> labelling.labelFraud();
            case DIGIT1, DIGIT2, DIGIT3, DIGIT4, DIGIT5, DIGIT6, NUMPAD1, NUMPAD2, NUMPAD3, NUMPAD4, NUMPAD5, NUMPAD6 ->
                    labelling.labelFraudType(e.getText().isEmpty() ? 0 : e.getText().charAt(0) - '0');
            case U -> labelling.undo();
            case J -> queueController.move(1);
            case K -> queueController.move(-1);
            case SLASH -> queueController.focusSearch();
            case E -> labellingController.focusNote();
            case S -> {
                tabs.getSelectionModel().select(timelineTab);
                timeline.selectMostSurprisingStep();
            }
            case T -> tabs.getSelectionModel().select(timelineTab);
            case H -> tabs.getSelectionModel().select(heatmapTab);
            case M -> tabs.getSelectionModel().select(modelsTab);
            default -> {
                return;
            }
        }
        swallowTyped = !e.getText().isEmpty();
        e.consume();
    }

    public void showTimeline() {
        tabs.getSelectionModel().select(timelineTab);
    }

    public void selectTab(String id) {
        for (Tab t : tabs.getTabs()) {
            if (id.equals(t.getId())) {
                tabs.getSelectionModel().select(t);
            }
        }
    }

    void trainAndCompareForScreenshot() {
        modelsController.runDemoForScreenshot("autoencoder");
    }

    /** For the screenshot tour: labels the selected user as the analyst would with a note, E then 2. */
    void labelForScreenshot(String note, int fraudTypeKey) {
        labelling.noteProperty().set(note);
        labelling.labelFraudType(fraudTypeKey);
    }

    /** For the screenshot tour: starts the comparison with its default detectors. */
    void runComparisonForScreenshot() {
        compareController.runForScreenshot();
    }

    public SplitPane split() {
        return split;
    }

    public void focusQueue() {
        queueController.focusTable();
    }

    @FXML
    private void importEvents() {
        importEvents.run();
    }

    @FXML
    private void closeWorkspace() {
        nav.showStart();
    }

    @FXML
    private void openSample() {
        nav.openSample();
    }

    @FXML
    private void exportFlagged() {
        exports.exportFlagged();
    }

    @FXML
    private void exportLabels() {
        exports.exportLabels();
    }

    @FXML
    private void caseReport() {
        exports.caseReport();
    }

    @FXML
    private void queueReport() {
        exports.queueReport();
    }

    @FXML
    private void backup() {
        exports.backup();
    }

    @FXML
    private void restore() {
        exports.restore();
    }

    @FXML
    private void showKeys() {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(split.getScene().getWindow());
        a.setTitle(resources.getString("keys.title"));
        a.setHeaderText(null);
        a.setContentText(resources.getString("keys.text"));
        a.show();
    }
}
