package dev.seqwatch.ui.export;

import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.export.ExportOptions;
import dev.seqwatch.export.ExportService;
import dev.seqwatch.store.WorkspaceBackup;
import dev.seqwatch.ui.app.WorkspaceModel;
import dev.seqwatch.ui.common.BackgroundTask;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The File menu's exports, reports, backup and restore: snapshots what the analyst sees (active
 * model, both thresholds, selected user) on the FX thread and runs the core work as background
 * tasks with progress; {@code done} gets a one-line summary (errors go to the executor's dialog).
 */
public final class ExportViewModel {
    private final WorkspaceModel model;
    private final ExportService exports;

    public ExportViewModel(WorkspaceModel model) {
        this.model = model;
        this.exports = new ExportService(model.service().workspace());
    }

    /** Export options with the thresholds the sliders show now (NaN ones fall back to the core defaults). */
    ExportOptions options() {
        return ExportOptions.defaults().withModel(model.activeModelId())
                .withThresholds(model.userThresholdProperty().get(), model.stepThresholdProperty().get());
    }

    public String selectedUser() {
        return model.selectedUserProperty().get();
    }

    public boolean hasScores() {
        return model.activeModelId() > 0 && !model.rows().isEmpty();
    }

    public void exportFlagged(Path out, Consumer<String> done) {
        ExportOptions o = options();
        model.tasks().execute(BackgroundTask.create("Exporting flagged users", p -> exports.writeFlaggedCsv(out, o, p))
                .onSuccess(n -> done.accept(n + " flagged users written to " + out)));
    }

    public void exportLabels(Path out, Consumer<String> done) {
        model.tasks().execute(BackgroundTask.create("Exporting the label history", p -> exports.writeLabelHistoryCsv(out, p))
                .onSuccess(n -> done.accept(n + " label rows written to " + out)));
    }

    public void caseReport(Path out, Consumer<String> done) {
        String user = selectedUser();
        if (user == null || user.isBlank()) {
            throw new UserFacingException("select a user in the queue first: the case report is about one user");
        }
        ExportOptions o = options();
        model.tasks().execute(BackgroundTask.create("Writing the case report", p -> exports.writeCaseReport(user, out, o, p))
                .onSuccess(f -> done.accept("Case report of " + user + " written to " + f)));
    }

    public void queueReport(Path out, Consumer<String> done) {
        ExportOptions o = options();
        model.tasks().execute(BackgroundTask.create("Writing the queue report", p -> exports.writeQueueReport(out, o, p))
                .onSuccess(f -> done.accept("Queue report written to " + f)));
    }

    public void backup(Path zip, Consumer<String> done) {
        var ws = model.service().workspace();
        model.tasks().execute(BackgroundTask.create("Backing up the workspace", p -> WorkspaceBackup.backup(ws, zip, p))
                .onSuccess(s -> done.accept(String.format("Backed up %,d events, %,d label rows and %d models to %s",
                        s.events(), s.labels(), s.models(), s.file()))));
    }

    /**
     * Restores {@code zip} into the workspace file {@code target}; {@code replace}: the analyst
     * confirmed replacing an existing file. {@code restored} gets the new workspace's path.
     */
    public void restore(Path zip, Path target, boolean replace, Consumer<Path> restored) {
        model.tasks().execute(BackgroundTask.create("Restoring a backup", p -> WorkspaceBackup.restore(zip, target, replace, p))
                .onSuccess(s -> restored.accept(s.file())));
    }
}
