package dev.seqwatch.ui.compare;

import dev.seqwatch.common.LabelSet;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.evaluate.DetectorComparison;
import dev.seqwatch.workflow.ModelService;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.ui.app.WorkspaceModel;
import dev.seqwatch.ui.common.BackgroundTask;
import dev.seqwatch.ui.common.TaskExecutor;
import dev.seqwatch.common.SubProgress;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

import java.util.List;
import java.util.Locale;

/**
 * Runs the baselines (and whatever else the registry offers) on the labelled users of this
 * workspace, unsupervised and with labels, and keeps the table rows and their ROC / PR curves.
 */
public final class CompareViewModel {
    private final WorkspaceModel model;
    private final DetectorRegistry registry;
    private final ObservableList<String> available = FXCollections.observableArrayList();
    private final ObservableSet<String> chosen = FXCollections.observableSet();
    private final ObservableList<DetectorComparison.Row> rows = FXCollections.observableArrayList();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private TaskExecutor.TaskHandle running;

    public CompareViewModel(WorkspaceModel model, DetectorRegistry registry) {
        this.model = model;
        this.registry = registry;
        List<String> names = DetectorComparison.defaultDetectors(registry);
        available.setAll(names);
        // the fast baselines by default; the autoencoder (DL4J, slow to start) and the LSTM (slow to train) are opt-in
        names.stream().filter(n -> !n.equals("autoencoder") && !n.equals("lstm")).forEach(chosen::add);
        message.set("Runs each chosen detector twice on this workspace: without labels, and learning from the fraud labels"
                + " (fraud users left out of training); scored against the current labels.");
    }

    public void run() {
        LabelSet labels = model.labelSetProperty().get();
        List<String> dets = available.stream().filter(chosen::contains).toList();
        if (busy.get()) {
            return;
        }
        busy.set(true);
        rows.clear();
        message.set("Comparing " + String.join(", ", dets) + "\u2026");
        running = model.tasks().execute(BackgroundTask.create("Comparing detectors", p -> {
                    SequenceSet all = model.service().workspace().read(c -> new EventDao().loadAll(c, new SubProgress(p, 0, 0.05)));
                    return new DetectorComparison(registry).run(all, labels, DetectorComparison.Options.of(dets),
                            new SubProgress(p, 0.05, 1));
                })
                .onProgress((f, m) -> progress.set(f))
                .onSuccess(r -> {
                    rows.setAll(r.rows());
                    message.set(String.format(Locale.ROOT, "%,d users, %,d labelled (%,d fraud). Best by PR-AUC: %s.",
                            r.nUsers(), r.nLabelled(), r.nFraud(), best(r)));
                })
                .onError(e -> message.set(dev.seqwatch.ui.common.ErrorDialogs.messageFor(e,
                        java.util.ResourceBundle.getBundle("i18n.messages"))))
                .onCancelled(() -> message.set("Comparison cancelled."))
                .andFinally(() -> {
                    busy.set(false);
                    running = null;
                }));
    }

    /**
     * Makes a compared row the active model: trains that detector (or, for an ensemble row, the
     * ensemble over the compared detectors) on this workspace as the row's round did, scores every
     * user, then activates it. Returns false when busy or the row failed.
     */
    public boolean activate(DetectorComparison.Row row) {
        if (busy.get() || row == null || row.error() != null) {
            return false;
        }
        List<String> compared = rows.stream().map(DetectorComparison.Row::detector)
                .filter(d -> !d.startsWith("ensemble:")).distinct().toList();
        ModelService.TrainRequest req = ModelService.TrainRequest.forComparisonRow(row.detector(), row.mode(), compared, 42L);
        busy.set(true);
        message.set("Training " + row.detector() + " (" + row.mode() + ") on this workspace\u2026");
        running = model.tasks().execute(BackgroundTask.create("Activating " + row.detector(), p -> {
                    ModelService svc = new ModelService(model.service().workspace(), registry);
                    ModelService.TrainResult t = svc.train(req, null, new SubProgress(p, 0, 0.5));
                    svc.score(t.modelId(), new SubProgress(p, 0.5, 1));
                    svc.activate(t.modelId());
                    return t.modelId();
                })
                .onProgress((f, m) -> progress.set(f))
                .onSuccess(id -> {
                    message.set("Version " + id + " (" + row.detector() + ") is active; the queue shows its scores.");
                    model.reload(null);
                })
                .onError(e -> message.set(dev.seqwatch.ui.common.ErrorDialogs.messageFor(e,
                        java.util.ResourceBundle.getBundle("i18n.messages"))))
                .onCancelled(() -> message.set("Activation cancelled; the active version did not change."))
                .andFinally(() -> {
                    busy.set(false);
                    running = null;
                }));
        return true;
    }

    /** The fraud types any row has a recall for, sorted. */
    public List<String> fraudTypes() {
        return rows.stream().filter(r -> r.evaluation() != null && r.evaluation().perFraudType() != null)
                .flatMap(r -> r.evaluation().perFraudType().keySet().stream()).distinct().sorted().toList();
    }

    /** Recall of one fraud type at the row's operating point, as text ("" when the row has none). */
    public static String recallOf(DetectorComparison.Row r, String type) {
        if (r.evaluation() == null || r.evaluation().perFraudType() == null) {
            return "";
        }
        int[] v = r.evaluation().perFraudType().get(type);
        return v == null || v[1] == 0 ? "" : String.format(Locale.ROOT, "%.2f", (double) v[0] / v[1]);
    }

    static String best(DetectorComparison.Report r) {
        return r.rows().stream().filter(x -> x.evaluation() != null)
                .max(java.util.Comparator.comparingDouble(x -> x.evaluation().prAuc()))
                .map(x -> String.format(Locale.ROOT, "%s (%s) %.3f", x.detector(), x.mode(), x.evaluation().prAuc()))
                .orElse("none");
    }

    public void cancel() {
        if (running != null) {
            running.cancel();
        }
    }

    public ObservableList<String> available() {
        return available;
    }

    public ObservableSet<String> chosen() {
        return chosen;
    }

    public ObservableList<DetectorComparison.Row> rows() {
        return rows;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }
}
