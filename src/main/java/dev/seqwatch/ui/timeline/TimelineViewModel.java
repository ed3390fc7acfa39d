package dev.seqwatch.ui.timeline;

import dev.seqwatch.ui.app.QueueRow;
import dev.seqwatch.ui.app.WorkspaceModel;
import dev.seqwatch.ui.common.BackgroundTask;
import dev.seqwatch.workflow.InvestigationService.TimelineStep;
import dev.seqwatch.workflow.InvestigationService.UserTimeline;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The selected user's events (loaded off the FX thread) and the text for the selected step. */
public final class TimelineViewModel {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final WorkspaceModel model;
    private final ReadOnlyObjectWrapper<UserTimeline> timeline = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper header = new ReadOnlyStringWrapper("Select a user in the queue");
    private final ReadOnlyStringWrapper stepText = new ReadOnlyStringWrapper("");
    private final BooleanProperty evenSpacing = new SimpleBooleanProperty();
    private long generation;

    public TimelineViewModel(WorkspaceModel model) {
        this.model = model;
        model.selectedUserProperty().addListener((o, a, b) -> load(b));
        model.selectedStepProperty().addListener((o, a, b) -> describeStep());
        model.dataVersionProperty().addListener((o, a, b) -> load(model.selectedUserProperty().get()));
    }

    private void load(String user) {
        long gen = ++generation;
        if (user == null) {
            timeline.set(null);
            header.set("Select a user in the queue");
            return;
        }
        int modelId = model.activeModelId();
        model.tasks().execute(BackgroundTask.create("Loading timeline", p -> model.service().timeline(modelId, user))
                .quiet()
                .onSuccess(t -> {
                    if (gen != generation) {
                        return; // the analyst moved on to another user
                    }
                    timeline.set(t);
                    header.set(headerFor(t));
                    describeStep();
                }));
    }

    private String headerFor(UserTimeline t) {
        QueueRow r = model.row(t.userId());
        StringBuilder sb = new StringBuilder("User ").append(t.userId()).append(" \u00b7 ")
                .append(t.steps().size()).append(" events");
        if (!t.steps().isEmpty()) {
            sb.append(" \u00b7 ").append(TIME.format(Instant.ofEpochMilli(t.steps().get(0).ts())))
                    .append(" \u2013 ").append(TIME.format(Instant.ofEpochMilli(t.steps().get(t.steps().size() - 1).ts())));
        }
        if (r != null) {
            sb.append(String.format(Locale.ROOT, " \u00b7 rank %d, score %.3f", r.rank(), r.score()));
        }
        return sb.toString();
    }

    private void describeStep() {
        UserTimeline t = timeline.get();
        int i = model.selectedStepProperty().get();
        if (t == null || i < 0 || i >= t.steps().size()) {
            stepText.set(t == null || t.steps().isEmpty() ? "" : "Click a step (or hover it) for its details");
            return;
        }
        stepText.set(describe(t.steps().get(i)));
    }

    /** The tooltip and detail text of one step. */
    public static String describe(TimelineStep s) {
        StringBuilder sb = new StringBuilder();
        sb.append("Step ").append(s.index() + 1).append(": ").append(s.action());
        if (!s.item().isEmpty()) {
            sb.append(" \u00b7 item ").append(s.item());
        }
        if (!s.category().isEmpty()) {
            sb.append(" \u00b7 category ").append(s.category());
        }
        if (!Double.isNaN(s.amount())) {
            sb.append(String.format(Locale.ROOT, " \u00b7 amount %.2f", s.amount()));
        }
        sb.append("\n").append(TIME.format(Instant.ofEpochMilli(s.ts())));
        sb.append(s.gapMillis() < 0 ? " \u00b7 first event" : " \u00b7 " + gap(s.gapMillis()) + " after the previous event");
        sb.append("\n").append(Double.isNaN(s.score()) ? "no step score"
                : String.format(Locale.ROOT, "step score %.2f", s.score()));
        if (!s.expected().isEmpty()) {
            sb.append(" \u00b7 model expected: ").append(s.expected());
        }
        return sb.toString();
    }

    static String gap(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = ms / 1000;
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return (s / 60) + " min";
        }
        if (s < 2 * 86400) {
            return (s / 3600) + " h";
        }
        return (s / 86400) + " days";
    }

    /** Selects the step with the highest score (the first thing to look at). */
    public void selectMostSurprisingStep() {
        UserTimeline t = timeline.get();
        if (t == null) {
            return;
        }
        int best = -1;
        for (TimelineStep s : t.steps()) {
            if (!Double.isNaN(s.score()) && (best < 0 || s.score() > t.steps().get(best).score())) {
                best = s.index();
            }
        }
        model.selectedStepProperty().set(best);
    }

    public void selectStep(int i) {
        model.selectedStepProperty().set(i);
    }

    public ReadOnlyObjectProperty<UserTimeline> timelineProperty() {
        return timeline.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty headerProperty() {
        return header.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stepTextProperty() {
        return stepText.getReadOnlyProperty();
    }

    public BooleanProperty evenSpacingProperty() {
        return evenSpacing;
    }

    public WorkspaceModel model() {
        return model;
    }
}
