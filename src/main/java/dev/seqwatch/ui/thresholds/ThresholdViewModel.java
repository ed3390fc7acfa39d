package dev.seqwatch.ui.thresholds;

import dev.seqwatch.common.LabelSet;
import dev.seqwatch.ui.app.QueueRow;
import dev.seqwatch.ui.app.WorkspaceModel;
import dev.seqwatch.ui.common.BackgroundTask;
import dev.seqwatch.ui.common.LatestWins;
import dev.seqwatch.workflow.InvestigationService.StepScoreSummary;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * The two threshold sliders and what they imply. A slider move snapshots the thresholds and the
 * precomputed tables, the figures are computed off the FX thread, and only the latest result is published.
 */
public final class ThresholdViewModel {

    /** What the view shows for one pair of thresholds. */
    public record Figures(ThresholdTable.Point users, int flaggedSteps, int usersWithFlaggedStep, int totalSteps,
                          boolean labelled) {
    }

    private record Input(ThresholdTable table, StepScoreSummary steps, double userT, double stepT) {
    }

    private final WorkspaceModel model;
    private long generation;
    private long stepGeneration;
    private boolean stepsLoading;
    private final LatestWins<Input, Figures> latest;
    private final ReadOnlyObjectWrapper<ThresholdTable> table = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<StepScoreSummary> steps = new ReadOnlyObjectWrapper<>(StepScoreSummary.EMPTY);
    private final ReadOnlyObjectWrapper<Figures> figures = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<List<ThresholdTable.Point>> curve = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyDoubleWrapper stepMax = new ReadOnlyDoubleWrapper(1);
    private final ReadOnlyStringWrapper usersText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper metricsText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper stepsText = new ReadOnlyStringWrapper("");

    /**
     * @param worker    runs the computation (one background thread in the app; the caller's thread in tests)
     * @param fxThread  publishes results ({@code Platform::runLater} in the app)
     */
    public ThresholdViewModel(WorkspaceModel model, Executor worker, Executor fxThread) {
        this.model = model;
        this.latest = new LatestWins<>(worker, fxThread, ThresholdViewModel::compute, this::publish);
        model.dataVersionProperty().addListener((o, a, b) -> rebuild(true));
        model.labelSetProperty().addListener((o, a, b) -> rebuild(false));
        model.userThresholdProperty().addListener((o, a, b) -> submit());
        model.stepThresholdProperty().addListener((o, a, b) -> submit());
    }

    /**
     * Rebuilds the user table in the background; a new model also resets the thresholds and loads
     * the step scores in a second task (slow on big workspaces, so the user slider works meanwhile).
     */
    void rebuild(boolean newData) {
        long gen = ++generation;
        List<QueueRow> rows = List.copyOf(model.rows());
        LabelSet labels = model.labelSetProperty().get();
        int modelId = model.activeModelId();
        model.tasks().execute(BackgroundTask.create("Preparing thresholds", p -> {
                    List<String> users = new ArrayList<>(rows.size());
                    double[] scores = new double[rows.size()];
                    for (int i = 0; i < scores.length; i++) {
                        users.add(rows.get(i).userId());
                        scores[i] = rows.get(i).score();
                    }
                    return ThresholdTable.of(users, scores, labels);
                })
                .quiet()
                .onSuccess(t -> {
                    if (gen != generation) {
                        return;
                    }
                    table.set(t);
                    curve.set(t.curve(400));
                    if (newData) {
                        steps.set(StepScoreSummary.EMPTY);
                        model.userThresholdProperty().set(t.hasLabels() ? t.bestF1Threshold()
                                : t.scoreAtRank(Math.max(1, t.size() / 20)));
                        loadSteps(modelId);
                    }
                    submit();
                }));
    }

    private void loadSteps(int modelId) {
        if (modelId <= 0) {
            return;
        }
        long stepGen = ++stepGeneration;
        stepsLoading = true;
        model.tasks().execute(BackgroundTask.create("Loading step scores", p -> model.service().stepScoreSummary(modelId))
                .onSuccess(s -> {
                    if (stepGen != stepGeneration) {
                        return;
                    }
                    stepsLoading = false;
                    steps.set(s);
                    double[] st = s.stepsSorted();
                    stepMax.set(st.length == 0 ? 1 : st[st.length - 1]);
                    model.stepThresholdProperty().set(st.length == 0 ? 0 : st[Math.min(st.length - 1, (int) (st.length * 0.99))]);
                    submit();
                }));
    }

    private void submit() {
        ThresholdTable t = table.get();
        if (t == null) {
            return;
        }
        latest.submit(new Input(t, steps.get(), model.userThresholdProperty().get(), model.stepThresholdProperty().get()));
    }

    static Figures compute(Input in) {
        ThresholdTable.Point p = in.table().at(in.userT());
        double[] st = in.steps().stepsSorted();
        double[] um = in.steps().userMaxSorted();
        return new Figures(p, st.length - lowerBound(st, in.stepT()), um.length - lowerBound(um, in.stepT()), st.length,
                in.table().hasLabels());
    }

    /** First index with a[i] >= x in an ascending array. */
    static int lowerBound(double[] a, double x) {
        int i = Arrays.binarySearch(a, x);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && a[i - 1] >= x) {
            i--;
        }
        return i;
    }

    /** Detectors that fit the labels themselves (stacked ensemble, LSTM's supervised head), when trained with labels. */
    public static boolean learnedFromLabels(dev.seqwatch.store.ModelDao.ModelRecord m) {
        if (m == null || !(m.detector().equals("ensemble") || m.detector().equals("lstm")) || m.trainedOnJson() == null) {
            return false;
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.trainedOnJson()).path("labelled_users").asLong() > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void publish(Figures f) {
        figures.set(f);
        ThresholdTable t = table.get();
        ThresholdTable.Point p = f.users();
        usersText.set(String.format(Locale.ROOT, "%,d of %,d users flagged (score \u2265 %.3f)", p.flagged(),
                t == null ? 0 : t.size(), p.threshold()));
        if (f.labelled()) {
            metricsText.set(String.format(Locale.ROOT,
                    "precision %.2f \u00b7 recall %.2f \u00b7 F1 %.2f  (on %d fraud + %d %s: %d caught, %d false alarms, %d missed)",
                    p.precision(), p.recall(), p.f1(), t.labelledFraud(), t.labelledNormal(),
                    t.unlabelledCountAsNormal() ? "other users counted as normal (the labels name fraud only)" : "normal labels",
                    p.tp(), p.fp(), p.fn())
                    + (learnedFromLabels(model.activeModelProperty().get())
                    ? ". The active model learned from these labels, so the figures are optimistic; Compare detectors"
                    + " cross-validates." : ""));
        } else {
            metricsText.set("No fraud labels yet: label users (F, 1-6) to see precision, recall and F1");
        }
        stepsText.set(f.totalSteps() == 0 ? (stepsLoading ? "Loading step scores\u2026" : "No step scores for this model")
                : String.format(Locale.ROOT, "%,d of %,d steps above %.2f, in %,d users", f.flaggedSteps(), f.totalSteps(),
                model.stepThresholdProperty().get(), f.usersWithFlaggedStep()));
    }

    public ReadOnlyObjectProperty<ThresholdTable> tableProperty() {
        return table.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Figures> figuresProperty() {
        return figures.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<ThresholdTable.Point>> curveProperty() {
        return curve.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty stepMaxProperty() {
        return stepMax.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty usersTextProperty() {
        return usersText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty metricsTextProperty() {
        return metricsText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stepsTextProperty() {
        return stepsText.getReadOnlyProperty();
    }

    public WorkspaceModel model() {
        return model;
    }
}
