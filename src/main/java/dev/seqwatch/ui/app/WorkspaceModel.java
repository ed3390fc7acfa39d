package dev.seqwatch.ui.app;

import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.ui.common.BackgroundTask;
import dev.seqwatch.ui.common.TaskExecutor;
import dev.seqwatch.workflow.InvestigationService;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state one open workspace shares between its views: the ranked queue with labels, the active
 * model, the selected user and step, and the two thresholds. Views observe it; only view-models change it.
 */
public final class WorkspaceModel {
    private final InvestigationService service;
    private final TaskExecutor tasks;
    private final ObservableList<QueueRow> rows = FXCollections.observableArrayList();
    private final Map<String, Integer> rowIndex = new HashMap<>();
    private final Map<String, Label> labels = new HashMap<>();
    private final ReadOnlyObjectWrapper<LabelSet> labelSet = new ReadOnlyObjectWrapper<>(LabelSet.empty());
    private final ReadOnlyObjectWrapper<ModelDao.ModelRecord> activeModel = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyIntegerWrapper dataVersion = new ReadOnlyIntegerWrapper();
    private final StringProperty selectedUser = new SimpleStringProperty();
    private final IntegerProperty selectedStep = new SimpleIntegerProperty(-1);
    private final DoubleProperty userThreshold = new SimpleDoubleProperty(Double.NaN);
    private final DoubleProperty stepThreshold = new SimpleDoubleProperty(Double.NaN);
    private final ObjectProperty<String> status = new SimpleObjectProperty<>("");
    private long eventCount;
    private long userCount;
    private boolean unscored;

    public WorkspaceModel(InvestigationService service, TaskExecutor tasks) {
        this.service = service;
        this.tasks = tasks;
    }

    public InvestigationService service() {
        return service;
    }

    public TaskExecutor tasks() {
        return tasks;
    }

    /** Reloads queue, labels and the active model in the background (after open, import, scoring, activation). */
    public void reload(Runnable then) {
        tasks.execute(BackgroundTask.create("Loading the queue", p -> service.loadQueue())
                .quiet()
                .onSuccess(q -> {
                    apply(q);
                    if (then != null) {
                        then.run();
                    }
                }));
    }

    /** Shows a loaded snapshot (called by {@link #reload}; public for {@code bench ui}). */
    public void apply(InvestigationService.QueueSnapshot q) {
        labels.clear();
        for (Label l : q.labels().all()) {
            labels.put(l.userId(), l);
        }
        List<QueueRow> list = new ArrayList<>(q.users().size());
        rowIndex.clear();
        for (var u : q.users()) {
            rowIndex.put(u.userId(), list.size());
            list.add(new QueueRow(u.rank(), u.userId(), u.score(), labels.get(u.userId()),
                    q.eventsPerUser().getOrDefault(u.userId(), -1)));
        }
        unscored = q.unscored();
        eventCount = q.events();
        userCount = q.userCount();
        activeModel.set(q.model().orElse(null));
        labelSet.set(q.labels());
        rows.setAll(list);
        dataVersion.set(dataVersion.get() + 1);
    }

    /** Shows a label that was just stored, in the queue and in the label set; a retraction unlabels the user. */
    public void applyLabel(Label l) {
        Label current = l.retraction() ? null : l;
        if (current == null) {
            labels.remove(l.userId());
        } else {
            labels.put(l.userId(), l);
        }
        Integer i = rowIndex.get(l.userId());
        if (i != null) {
            rows.set(i, rows.get(i).withLabel(current));
        }
        labelSet.set(new LabelSet(labels.values()));
    }

    public Label currentLabel(String userId) {
        return userId == null ? null : labels.get(userId);
    }

    public QueueRow row(String userId) {
        Integer i = userId == null ? null : rowIndex.get(userId);
        return i == null ? null : rows.get(i);
    }

    public ObservableList<QueueRow> rows() {
        return rows;
    }

    public ReadOnlyObjectProperty<LabelSet> labelSetProperty() {
        return labelSet.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ModelDao.ModelRecord> activeModelProperty() {
        return activeModel.getReadOnlyProperty();
    }

    public int activeModelId() {
        ModelDao.ModelRecord m = activeModel.get();
        return m == null ? -1 : m.id();
    }

    /** Increases whenever the queue was reloaded (a new model, new events). */
    public ReadOnlyIntegerProperty dataVersionProperty() {
        return dataVersion.getReadOnlyProperty();
    }

    public StringProperty selectedUserProperty() {
        return selectedUser;
    }

    public IntegerProperty selectedStepProperty() {
        return selectedStep;
    }

    /** Opens {@code userId} at {@code step} (or -1 for none), e.g. from a heatmap click. */
    public void open(String userId, int step) {
        selectedStep.set(-1);
        selectedUser.set(userId);
        selectedStep.set(step);
    }

    public DoubleProperty userThresholdProperty() {
        return userThreshold;
    }

    public DoubleProperty stepThresholdProperty() {
        return stepThreshold;
    }

    public ObjectProperty<String> statusProperty() {
        return status;
    }

    public long eventCount() {
        return eventCount;
    }

    /** True when the queue lists imported users by event count because no model has scored them. */
    public boolean unscored() {
        return unscored;
    }

    public long userCount() {
        return userCount;
    }

    public boolean isFlagged(QueueRow r) {
        double t = userThreshold.get();
        return !Double.isNaN(t) && r.score() >= t;
    }
}
