package dev.seqwatch.ui.models;

import dev.seqwatch.evaluate.Evaluation;
import dev.seqwatch.ui.app.WorkspaceModel;
import dev.seqwatch.ui.common.BackgroundTask;
import dev.seqwatch.ui.common.TaskExecutor;
import dev.seqwatch.workflow.ModelService;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Train / retrain (live loss, progress, cancel), the versions with their metrics, comparing two
 * versions on the current labels, and activating one (scores it first, in the background).
 * Retraining leaves fraud-labelled users out of training by default and never activates by itself.
 */
public final class ModelsViewModel {

    /** One point of a live training metric. */
    public record MetricPoint(String name, double x, double value) {
    }

    /** One row of the comparison table. */
    public record CompareRow(String metric, String a, String b) {
    }

    private final WorkspaceModel model;
    private final ModelService service;
    private final ObservableList<String> detectors = FXCollections.observableArrayList();
    private final ObjectProperty<String> detector = new SimpleObjectProperty<>();
    private final IntegerProperty epochs = new SimpleIntegerProperty(0);
    private final BooleanProperty excludeFraud = new SimpleBooleanProperty(true);
    private final ObservableList<VersionRow> versions = FXCollections.observableArrayList();
    private final ObservableList<MetricPoint> liveMetrics = FXCollections.observableArrayList();
    private final ObservableList<CompareRow> comparison = FXCollections.observableArrayList();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private TaskExecutor.TaskHandle running;

    public ModelsViewModel(WorkspaceModel model, ModelService service, List<String> detectorNames) {
        this.model = model;
        this.service = service;
        detectors.setAll(detectorNames);
        detector.set(detectorNames.contains("lstm") ? "lstm" : detectorNames.isEmpty() ? null : detectorNames.get(0));
        model.dataVersionProperty().addListener((o, a, b) -> refreshVersions());
    }

    public void refreshVersions() {
        model.tasks().execute(BackgroundTask.create("Loading model versions", p -> service.versions())
                .quiet()
                .onSuccess(list -> {
                    List<VersionRow> rows = new java.util.ArrayList<>(list.stream().map(VersionRow::of).toList());
                    java.util.Collections.reverse(rows);
                    versions.setAll(rows);
                }));
    }

    /** Trains a new version of the chosen detector on this workspace; it is stored, not activated. */
    public void train() {
        String d = detector.get();
        if (d == null || busy.get()) {
            return;
        }
        liveMetrics.clear();
        busy.set(true);
        progress.set(0);
        message.set("Training " + d + "\u2026");
        ModelService.TrainRequest req = new ModelService.TrainRequest(d, epochs.get(), 42L, excludeFraud.get(), Map.of(), false);
        running = model.tasks().execute(BackgroundTask.create("Training " + d, p -> service.train(req, null, p))
                .onMetric((name, x, v) -> liveMetrics.add(new MetricPoint(name, x, v)))
                .onProgress((f, m) -> progress.set(f))
                .onSuccess(r -> {
                    Evaluation e = r.evaluation();
                    message.set(String.format(Locale.ROOT, "Version %d trained on %,d users in %.1f s%s. %s", r.modelId(),
                            r.report().users(), r.report().millis() / 1000.0,
                            r.excludedFraudUsers() > 0 ? " (" + r.excludedFraudUsers() + " fraud-labelled users left out)" : "",
                            e == null ? "No fraud labels to evaluate on."
                                    : String.format(Locale.ROOT, "On %d labelled users: ROC-AUC %.3f, PR-AUC %.3f, best F1 %.3f.",
                                    e.nUsers(), e.rocAuc(), e.prAuc(), e.bestF1())));
                    if (r.active()) {
                        scoreAndReload(r.modelId());
                    } else {
                        refreshVersions();
                    }
                })
                .onCancelled(() -> message.set("Training cancelled; no version was stored."))
                .andFinally(() -> {
                    busy.set(false);
                    running = null;
                }));
    }

    public void cancel() {
        if (running != null) {
            running.cancel();
        }
    }

    /**
     * Makes the version active (rolls back or forward): at once when its stored scores cover every
     * import, else after scoring every user with it (its step scores feed the timeline and heatmap).
     */
    public void activate(int versionId) {
        if (busy.get()) {
            return;
        }
        busy.set(true);
        message.set("Activating version " + versionId + "\u2026");
        running = model.tasks().execute(BackgroundTask.create("Activating version " + versionId,
                        p -> service.rollTo(versionId, p))
                .onProgress((f, m) -> progress.set(f))
                .onSuccess(a -> {
                    message.set("Version " + a.modelId() + " is active; the queue shows its scores"
                            + (a.rescored() ? " (scored every user)." : " (stored, nothing re-scored)."));
                    model.reload(null);
                })
                .onCancelled(() -> message.set("Activation cancelled; the active version did not change."))
                .andFinally(() -> {
                    busy.set(false);
                    running = null;
                }));
    }

    private void scoreAndReload(int id) {
        busy.set(false);
        activate(id);
    }

    /** Evaluates two versions on the current labels, side by side. */
    public void compare(int a, int b) {
        if (busy.get()) {
            return;
        }
        busy.set(true);
        comparison.clear();
        message.set("Comparing versions " + a + " and " + b + " on the labelled users\u2026");
        running = model.tasks().execute(BackgroundTask.create("Comparing versions " + a + " and " + b, p -> {
                    Evaluation ea = service.evaluate(a, null, Double.NaN, p);
                    Evaluation eb = service.evaluate(b, null, Double.NaN, p);
                    return new Evaluation[]{ea, eb};
                })
                .onProgress((f, m) -> progress.set(f))
                .onSuccess(e -> {
                    comparison.setAll(rows(e[0], e[1]));
                    message.set(String.format(Locale.ROOT, "Compared on %d labelled users (%d fraud).", e[0].nUsers(), e[0].nFraud()));
                })
                .andFinally(() -> {
                    busy.set(false);
                    running = null;
                }));
    }

    static List<CompareRow> rows(Evaluation a, Evaluation b) {
        return List.of(
                new CompareRow("ROC-AUC", VersionRow.fmt(a.rocAuc()), VersionRow.fmt(b.rocAuc())),
                new CompareRow("PR-AUC", VersionRow.fmt(a.prAuc()), VersionRow.fmt(b.prAuc())),
                new CompareRow("best F1", VersionRow.fmt(a.bestF1()), VersionRow.fmt(b.bestF1())),
                new CompareRow("precision @ threshold", VersionRow.fmt(a.precision()), VersionRow.fmt(b.precision())),
                new CompareRow("recall @ threshold", VersionRow.fmt(a.recall()), VersionRow.fmt(b.recall())),
                new CompareRow("threshold (" + a.thresholdSource() + " / " + b.thresholdSource() + ")",
                        VersionRow.fmt(a.threshold()), VersionRow.fmt(b.threshold())),
                new CompareRow("precision @ k=" + a.k(), VersionRow.fmt(a.precisionAtK()), VersionRow.fmt(b.precisionAtK())));
    }

    public ObservableList<String> detectors() {
        return detectors;
    }

    public ObjectProperty<String> detectorProperty() {
        return detector;
    }

    public IntegerProperty epochsProperty() {
        return epochs;
    }

    public BooleanProperty excludeFraudProperty() {
        return excludeFraud;
    }

    public ObservableList<VersionRow> versions() {
        return versions;
    }

    public ObservableList<MetricPoint> liveMetrics() {
        return liveMetrics;
    }

    public ObservableList<CompareRow> comparison() {
        return comparison;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }
}
