package dev.seqwatch.ui.labelling;

import dev.seqwatch.common.Label;
import dev.seqwatch.ui.app.WorkspaceModel;
import dev.seqwatch.ui.common.BackgroundTask;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Labels the selected user (N normal, F fraud, 1-6 a fraud type) with an optional note. Each change
 * is a new audited row; undo (U, for the user shown) writes another row that restores the label the
 * change replaced, or a retraction when there was none; Retract takes back the shown user's label.
 */
public final class LabellingViewModel {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    /** One change made in this session, for undo: the user and the label it replaced (null = none). */
    private record Change(String userId, Label replaced) {
    }

    private final WorkspaceModel model;
    private final StringProperty note = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper current = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final BooleanProperty canUndo = new SimpleBooleanProperty();
    private final BooleanProperty canRetract = new SimpleBooleanProperty();
    private final ObservableList<String> history = FXCollections.observableArrayList();
    private final Deque<Change> undo = new ArrayDeque<>();

    public LabellingViewModel(WorkspaceModel model) {
        this.model = model;
        model.selectedUserProperty().addListener((o, a, b) -> {
            // the status line names the user shown, never the previous one
            message.set("");
            refresh();
        });
    }

    public void labelNormal() {
        label(false, null);
    }

    public void labelFraud() {
        label(true, null);
    }

    /** @param key 1..6, the fraud types of {@link Label#FRAUD_TYPES} in order */
    public void labelFraudType(int key) {
        if (key < 1 || key > Label.FRAUD_TYPES.size()) {
            return;
        }
        label(true, Label.FRAUD_TYPES.get(key - 1));
    }

    private void label(boolean fraud, String type) {
        String user = model.selectedUserProperty().get();
        if (user == null) {
            message.set("Select a user first");
            return;
        }
        Label before = model.currentLabel(user);
        String n = note.get();
        if (before != null && before.fraud() == fraud && java.util.Objects.equals(before.fraudType(), type)
                && (n == null || n.isBlank())) {
            message.set(user + " is already " + describe(before) + ": nothing stored");
            return;
        }
        model.tasks().execute(BackgroundTask.create("Saving label", p -> model.service().setLabel(user, fraud, type, n))
                .quiet()
                .onSuccess(l -> {
                    undo.push(new Change(user, before));
                    note.set("");
                    model.applyLabel(l);
                    message.set("Labelled " + user + " " + describe(l));
                    if (user.equals(model.selectedUserProperty().get())) {
                        refresh();
                    }
                }));
    }

    /**
     * Undoes this session's latest change of the user shown, as a new audited row: restores the label it
     * replaced, or retracts the label when it was the user's first (the user is unlabelled again).
     */
    public void undo() {
        String shown = model.selectedUserProperty().get();
        Change c = undo.stream().filter(x -> x.userId().equals(shown)).findFirst().orElse(null);
        if (c == null) {
            message.set(shown == null ? "Select a user first" : "Nothing to undo for " + shown);
            return;
        }
        Label r = c.replaced();
        model.tasks().execute(BackgroundTask.create("Undoing label", p -> r == null
                        ? model.service().retractLabel(c.userId(), null)
                        : model.service().setLabel(c.userId(), r.fraud(), r.fraudType(), r.note()))
                .quiet()
                .onSuccess(l -> {
                    undo.remove(c);
                    model.applyLabel(l);
                    message.set("Undone: " + c.userId() + " is " + (l.retraction() ? "unlabelled" : describe(l)) + " again");
                    if (c.userId().equals(model.selectedUserProperty().get())) {
                        refresh();
                    }
                }));
    }

    /**
     * Takes back the current label of the user shown (whoever set it, in any session) with a new audited
     * row: the user is unlabelled again everywhere. U undoes it.
     */
    public void retract() {
        String user = model.selectedUserProperty().get();
        if (user == null) {
            message.set("Select a user first");
            return;
        }
        Label before = model.currentLabel(user);
        if (before == null) {
            message.set(user + " is unlabelled: nothing to retract");
            return;
        }
        String n = note.get();
        model.tasks().execute(BackgroundTask.create("Retracting label", p -> model.service().retractLabel(user, n))
                .quiet()
                .onSuccess(l -> {
                    undo.push(new Change(user, before));
                    note.set("");
                    model.applyLabel(l);
                    message.set("Retracted " + describe(before) + " of " + user + ": unlabelled");
                    if (user.equals(model.selectedUserProperty().get())) {
                        refresh();
                    }
                }));
    }

    /** Undo applies to the user shown only: enabled when this session changed that user's label. */
    private void updateCanUndo() {
        String shown = model.selectedUserProperty().get();
        canUndo.set(shown != null && undo.stream().anyMatch(x -> x.userId().equals(shown)));
        canRetract.set(shown != null && model.currentLabel(shown) != null);
    }

    private void refresh() {
        updateCanUndo();
        String user = model.selectedUserProperty().get();
        if (user == null) {
            current.set("");
            history.clear();
            return;
        }
        Label l = model.currentLabel(user);
        current.set(l == null ? "unlabelled" : describe(l));
        model.tasks().execute(BackgroundTask.create("Label history", p -> model.service().history(user))
                .quiet()
                .onSuccess(rows -> {
                    if (user.equals(model.selectedUserProperty().get())) {
                        history.setAll(format(rows));
                    }
                }));
    }

    private static List<String> format(List<Label> rows) {
        List<Label> newestFirst = new java.util.ArrayList<>(rows);
        java.util.Collections.reverse(newestFirst);
        return newestFirst.stream()
                .map(l -> TIME.format(l.createdAt()) + "  " + describe(l) + "  by " + l.analyst()
                        + (l.note() == null ? "" : "  \u201c" + l.note() + "\u201d"))
                .toList();
    }

    static String describe(Label l) {
        if (l.retraction()) {
            return "retracted (unlabelled)";
        }
        if (!l.fraud()) {
            return "normal";
        }
        return l.fraudType() == null ? "fraud" : "fraud (" + l.fraudType() + ")";
    }

    public StringProperty noteProperty() {
        return note;
    }

    public ReadOnlyStringProperty currentProperty() {
        return current.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo;
    }

    /** True when the user shown has a label to retract. */
    public ReadOnlyBooleanProperty canRetractProperty() {
        return canRetract;
    }

    public ObservableList<String> history() {
        return history;
    }
}
