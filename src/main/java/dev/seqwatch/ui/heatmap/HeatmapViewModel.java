package dev.seqwatch.ui.heatmap;

import dev.seqwatch.ui.app.WorkspaceModel;
import dev.seqwatch.ui.common.BackgroundTask;
import dev.seqwatch.workflow.InvestigationService.StepMatrix;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.Locale;

/** The step-score matrix of the top-ranked users, loaded off the FX thread, and cell lookups. */
public final class HeatmapViewModel {
    public static final int MAX_USERS = 1000;
    public static final int MAX_STEPS = 200;

    private final WorkspaceModel model;
    private final ReadOnlyObjectWrapper<StepMatrix> matrix = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<StepScoreColors> colors = new ReadOnlyObjectWrapper<>(new StepScoreColors(1));
    private final ReadOnlyStringWrapper hover = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper caption = new ReadOnlyStringWrapper("");
    private boolean stale = true;
    private double robustMax = 1;
    private boolean visible;

    public HeatmapViewModel(WorkspaceModel model) {
        this.model = model;
        model.stepThresholdProperty().addListener(o -> recolor());
        model.dataVersionProperty().addListener((o, a, b) -> {
            stale = true;
            if (visible) {
                load();
            }
        });
    }

    /** Loads lazily: the matrix is only read when the heatmap is shown. */
    public void setVisible(boolean v) {
        visible = v;
        if (v && stale) {
            load();
        }
    }

    private void load() {
        stale = false;
        int modelId = model.activeModelId();
        if (modelId < 0) {
            matrix.set(null);
            caption.set("No scored model yet");
            return;
        }
        caption.set("Loading the step scores of the top " + MAX_USERS + " users\u2026");
        model.tasks().execute(BackgroundTask.create("Loading heatmap",
                        p -> model.service().stepMatrix(modelId, MAX_USERS, MAX_STEPS))
                .quiet()
                .onSuccess(m -> {
                    robustMax = StepScoreColors.robustMax(m.scores());
                    matrix.set(m);
                    recolor();
                    caption.set(String.format(Locale.ROOT,
                            "Top %,d users by score (rows, rank 1 at the top) \u00d7 their first %d events (columns)",
                            m.rows(), m.steps()));
                }));
    }

    /** Red means "at or above the step threshold" (as in the timeline); without one, the 99th percentile. */
    private void recolor() {
        double t = model.stepThresholdProperty().get();
        colors.set(new StepScoreColors(!Double.isNaN(t) && t > 0 ? t : robustMax));
    }

    /** Per row: 2 = labelled fraud, 1 = labelled normal, 3 = flagged and unlabelled, 0 = other (the strip left of the heatmap). */
    public int[] rowMarks() {
        StepMatrix m = matrix.get();
        if (m == null) {
            return new int[0];
        }
        int[] marks = new int[m.rows()];
        for (int r = 0; r < marks.length; r++) {
            var l = model.currentLabel(m.userIds()[r]);
            var row = model.row(m.userIds()[r]);
            marks[r] = l != null ? (l.fraud() ? 2 : 1) : row != null && model.isFlagged(row) ? 3 : 0;
        }
        return marks;
    }

    /** Describes a cell for the hover text; empty outside the matrix. */
    public String describe(int row, int step) {
        StepMatrix m = matrix.get();
        if (m == null || row < 0 || row >= m.rows() || step < 0 || step >= m.steps()) {
            return "";
        }
        int a = m.actions()[row * m.steps() + step];
        if (a < 0) {
            return "User " + m.userIds()[row] + " (rank " + (row + 1) + ") has fewer than " + (step + 1) + " events";
        }
        float s = m.score(row, step);
        var l = model.currentLabel(m.userIds()[row]);
        return String.format(Locale.ROOT, "User %s (rank %d%s) \u00b7 step %d: %s \u00b7 %s", m.userIds()[row], row + 1,
                l == null ? "" : l.fraud() ? ", fraud" : ", normal",
                step + 1, m.actionNames().get(a), Float.isNaN(s) ? "no score" : String.format(Locale.ROOT, "score %.2f", s));
    }

    public void hover(int row, int step) {
        hover.set(describe(row, step));
    }

    /** Opens the cell's user at that step (the controller then shows the timeline). */
    public boolean open(int row, int step) {
        StepMatrix m = matrix.get();
        if (m == null || row < 0 || row >= m.rows() || step < 0 || step >= m.steps()) {
            return false;
        }
        int a = m.actions()[row * m.steps() + step];
        model.open(m.userIds()[row], a < 0 ? -1 : step);
        return true;
    }

    public WorkspaceModel model() {
        return model;
    }

    public ReadOnlyObjectProperty<StepMatrix> matrixProperty() {
        return matrix.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<StepScoreColors> colorsProperty() {
        return colors.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty hoverProperty() {
        return hover.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty captionProperty() {
        return caption.getReadOnlyProperty();
    }
}
