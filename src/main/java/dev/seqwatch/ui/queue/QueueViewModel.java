package dev.seqwatch.ui.queue;

import dev.seqwatch.ui.app.QueueRow;
import dev.seqwatch.ui.app.WorkspaceModel;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.transformation.FilteredList;

import java.util.Locale;
import java.util.function.Predicate;

/** The ranked queue with its filters (label, flagged at the user threshold, user id search). */
public final class QueueViewModel {
    private final WorkspaceModel model;
    private final FilteredList<QueueRow> visible;
    private final ObjectProperty<QueueFilter> labelFilter = new SimpleObjectProperty<>(QueueFilter.ALL);
    private final BooleanProperty flaggedOnly = new SimpleBooleanProperty();
    private final StringProperty search = new SimpleStringProperty("");
    private final ObservableStringValue summary;

    public QueueViewModel(WorkspaceModel model) {
        this.model = model;
        this.visible = new FilteredList<>(model.rows());
        Observable[] deps = {labelFilter, flaggedOnly, search, model.userThresholdProperty()};
        for (Observable o : deps) {
            o.addListener(x -> visible.setPredicate(predicate()));
        }
        summary = Bindings.createStringBinding(() -> {
            if (model.activeModelProperty().get() == null) {
                if (model.unscored()) {
                    return String.format(Locale.ROOT, "%,d users imported (%,d events), not scored yet: listed by "
                            + "event count; train a model in Models to rank them", model.rows().size(), model.eventCount());
                }
                return model.rows().isEmpty() && model.userCount() > 0
                        ? "No scored model yet: train one in Models" : "No users yet: import events";
            }
            long flagged = model.rows().stream().filter(model::isFlagged).count();
            return String.format(java.util.Locale.ROOT, "%,d of %,d users shown \u00b7 %,d flagged at the threshold (amber rows)",
                    visible.size(), model.rows().size(), flagged);
        }, visible, model.rows(), model.activeModelProperty(), model.userThresholdProperty(), model.dataVersionProperty());
    }

    private Predicate<QueueRow> predicate() {
        QueueFilter f = labelFilter.get();
        boolean flagged = flaggedOnly.get();
        String q = search.get() == null ? "" : search.get().strip().toLowerCase(Locale.ROOT);
        if (f == QueueFilter.ALL && !flagged && q.isEmpty()) {
            return null;
        }
        return r -> f.accepts(r.label()) && (!flagged || model.isFlagged(r))
                && (q.isEmpty() || r.userId().toLowerCase(Locale.ROOT).contains(q));
    }

    public FilteredList<QueueRow> visibleRows() {
        return visible;
    }

    public ObjectProperty<QueueFilter> labelFilterProperty() {
        return labelFilter;
    }

    public BooleanProperty flaggedOnlyProperty() {
        return flaggedOnly;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public ObservableStringValue summaryProperty() {
        return summary;
    }

    /** True when the rows are imported users by event count (no model yet): the score column shows events. */
    public boolean unscored() {
        return model.unscored();
    }

    public void select(QueueRow r) {
        if (r != null && !r.userId().equals(model.selectedUserProperty().get())) {
            model.open(r.userId(), -1);
        }
    }

    public WorkspaceModel model() {
        return model;
    }
}
