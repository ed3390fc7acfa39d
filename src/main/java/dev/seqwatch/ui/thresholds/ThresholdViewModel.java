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
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Default> userDefault = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyDoubleWrapper userStep = new ReadOnlyDoubleWrapper(1.0 / STEPS_PER_RANGE);
    private final ReadOnlyDoubleWrapper stepStep = new ReadOnlyDoubleWrapper(1.0 / STEPS_PER_RANGE);
    private double calibrated = Double.NaN;
    private String calibrationProblem;
    private String calibrationMethod = "";
    private double stepDefault;

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

    /** The threshold a new model starts at and "Reset" returns to, with where it comes from. */
    public record Default(double value, String source) {
    }

    /**
     * The same default as exports use: the model's calibrated threshold, else best F1 on the current
     * labels, else the score of the top 5%.
     */
    public static Default defaultThreshold(ThresholdTable t, double calibrated, String calibrationProblem) {
        return defaultThreshold(t, calibrated, "", calibrationProblem);
    }

    /** As above; {@code method} says how the calibrated threshold was chosen (empty: best F1 on labelled users). */
    public static Default defaultThreshold(ThresholdTable t, double calibrated, String method, String calibrationProblem) {
        if (Double.isFinite(calibrated)) {
            return new Default(calibrated, "calibrated when the model was trained ("
                    + (method == null || method.isEmpty() ? "best F1 on its labelled users" : method) + ")");
        }
        String why = calibrationProblem == null ? "the model records no calibrated threshold" : calibrationProblem;
        double best = t.hasLabels() ? t.bestF1Threshold() : Double.NaN;
        if (Double.isFinite(best)) {
            return new Default(best, "best F1 on the current labels (" + why + ")");
        }
        int k = Math.max(1, t.size() / 20);
        return new Default(t.scoreAtRank(k), "score of the top 5% (rank " + k + "; " + why + ", no fraud labels)");
    }

    /** How far one arrow key moves a slider: a hundredth of its range. */
    public static double stepOf(double min, double max) {
        double r = max - min;
        return r > 0 && Double.isFinite(r) ? r / STEPS_PER_RANGE : 1.0 / STEPS_PER_RANGE;
    }

    /** Arrow keys cross a slider's range in this many presses. */
    public static final int STEPS_PER_RANGE = 100;

    private record Prepared(ThresholdTable table, double calibrated, String calibrationMethod, String calibrationProblem) {
    }

    /**
     * Rebuilds the user table in the background; a new model also resets the thresholds and loads
     * the step scores in a second task (slow on big workspaces, so the user slider works meanwhile).
     */
    void rebuild(boolean newData) {
        long gen = ++generation;
        // unscored users (listed by event count before any model) have no place on a score threshold
        List<QueueRow> rows = model.rows().stream().filter(QueueRow::scored).toList();
        LabelSet labels = model.labelSetProperty().get();
        int modelId = model.activeModelId();
        double knownCalibrated = calibrated;
        String knownMethod = calibrationMethod;
        String knownProblem = calibrationProblem;
        model.tasks().execute(BackgroundTask.create("Preparing thresholds", p -> {
                    List<String> users = new ArrayList<>(rows.size());
                    double[] scores = new double[rows.size()];
                    for (int i = 0; i < scores.length; i++) {
                        users.add(rows.get(i).userId());
                        scores[i] = rows.get(i).score();
                    }
                    ThresholdTable t = ThresholdTable.of(users, scores, labels);
                    if (!newData) {
                        return new Prepared(t, knownCalibrated, knownMethod, knownProblem);
                    }
                    if (modelId <= 0) {
                        return new Prepared(t, Double.NaN, "", "no model yet");
                    }
                    try {
                        return new Prepared(t, model.service().calibratedThreshold(modelId),
                                model.service().calibrationMethod(modelId), null);
                    } catch (dev.seqwatch.common.UserFacingException e) {
                        return new Prepared(t, Double.NaN, "", e.getMessage());
                    }
                })
                .quiet()
                .onSuccess(pr -> {
                    if (gen != generation) {
                        return;
                    }
                    ThresholdTable t = pr.table();
                    calibrated = pr.calibrated();
                    calibrationMethod = pr.calibrationMethod();
                    calibrationProblem = pr.calibrationProblem();
                    table.set(t);
                    curve.set(t.curve(400));
                    userStep.set(stepOf(t.min(), t.max() > t.min() ? t.max() : t.min() + 1));
                    Default d = defaultThreshold(t, calibrated, calibrationMethod, calibrationProblem);
                    userDefault.set(d);
                    if (newData) {
                        steps.set(StepScoreSummary.EMPTY);
                        model.userThresholdProperty().set(d.value());
                        message.set("");
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
                    stepStep.set(stepOf(0, stepMax.get()));
                    stepDefault = st.length == 0 ? 0 : st[Math.min(st.length - 1, (int) (st.length * 0.99))];
                    model.stepThresholdProperty().set(stepDefault);
                    submit();
                }));
    }

    /** Back to the default user threshold ({@link #defaultThreshold}); says which one. */
    public void resetUserThreshold() {
        Default d = userDefault.get();
        if (d == null) {
            message.set("No scores yet: nothing to reset");
            return;
        }
        model.userThresholdProperty().set(d.value());
        message.set(String.format(Locale.ROOT, "User threshold reset to %.4f: %s", d.value(), d.source()));
    }

    /** Back to the default step threshold: the 99th percentile of the model's step scores (as exports). */
    public void resetStepThreshold() {
        if (steps.get().stepsSorted().length == 0) {
            message.set("No step scores for this model: nothing to reset");
            return;
        }
        model.stepThresholdProperty().set(stepDefault);
        message.set(String.format(Locale.ROOT, "Step threshold reset to %.3f: the 99th percentile of %,d step scores",
                stepDefault, steps.get().stepsSorted().length));
    }

    /** Sets the user threshold so that the {@code n} highest-scored users are flagged (more when scores tie at rank n). */
    public boolean flagTop(int n) {
        ThresholdTable t = table.get();
        if (t == null || t.size() == 0) {
            message.set("No scored users yet: nothing to flag");
            return false;
        }
        if (n < 1 || n > t.size()) {
            message.set(String.format(Locale.ROOT, "Top N: %d is out of range; give a number of users from 1 to %,d", n, t.size()));
            return false;
        }
        double s = t.scoreAtRank(n);
        model.userThresholdProperty().set(s);
        int flagged = t.flaggedAt(s);
        if (flagged > n) {
            int above = t.flaggedAt(Math.nextUp(s));
            message.set(String.format(Locale.ROOT, "Top %,d asked, %,d flagged: ranks %,d to %,d share the score %.4f",
                    n, flagged, above + 1, flagged, s));
        } else {
            message.set(String.format(Locale.ROOT, "Flagging the top %,d users: score \u2265 %.4f", n, s));
        }
        return true;
    }

    /** "Flag the top N" from the text field. */
    public boolean flagTop(String text) {
        String v = text == null ? "" : text.strip().replace(",", "").replace("_", "");
        try {
            return flagTop(Integer.parseInt(v));
        } catch (NumberFormatException e) {
            message.set("Top N: '" + (text == null ? "" : text.strip()) + "' is not a whole number of users (e.g. 50)");
            return false;
        }
    }

    /** Sets the user threshold from the number field; refuses text that is no number or lies outside the scores. */
    public boolean commitUserThreshold(String text) {
        ThresholdTable t = table.get();
        if (t == null) {
            message.set("No scored users yet: no user threshold to set");
            return false;
        }
        Double v = parse("User threshold", text, t.min(), t.max());
        if (v == null) {
            return false;
        }
        model.userThresholdProperty().set(v);
        message.set("");
        return true;
    }

    /** Sets the step threshold from its number field. */
    public boolean commitStepThreshold(String text) {
        if (steps.get().stepsSorted().length == 0) {
            message.set("No step scores for this model: no step threshold to set");
            return false;
        }
        Double v = parse("Step threshold", text, 0, stepMax.get());
        if (v == null) {
            return false;
        }
        model.stepThresholdProperty().set(v);
        message.set("");
        return true;
    }

    private Double parse(String what, String text, double min, double max) {
        String v = text == null ? "" : text.strip();
        double d;
        try {
            d = Double.parseDouble(v.replace(',', '.'));
        } catch (NumberFormatException e) {
            message.set(what + ": '" + v + "' is not a number (e.g. 0.85)");
            return null;
        }
        if (!(d >= min && d <= max)) {
            message.set(String.format(Locale.ROOT, "%s: %s is outside the scores (%.4f to %.4f)", what, v, min, max));
            return null;
        }
        return d;
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

    /** The outcome of the last reset, top N or typed threshold (errors name what was wrong). */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Default> userDefaultProperty() {
        return userDefault.getReadOnlyProperty();
    }

    /** One arrow key on the user slider. */
    public ReadOnlyDoubleProperty userStepProperty() {
        return userStep.getReadOnlyProperty();
    }

    /** One arrow key on the step slider. */
    public ReadOnlyDoubleProperty stepStepProperty() {
        return stepStep.getReadOnlyProperty();
    }

    public WorkspaceModel model() {
        return model;
    }
}
