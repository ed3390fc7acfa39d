package dev.seqwatch.ui.export;

import dev.seqwatch.common.OutputFiles;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.ui.app.Navigator;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * The File menu's export / report / backup / restore items: file choosers and result messages on the
 * FX thread; the work itself runs in {@link ExportViewModel}'s background tasks.
 */
public final class ExportActions {
    private final ExportViewModel vm;
    private final ResourceBundle text;
    private final Supplier<Window> owner;
    private final Navigator nav;
    private final String workspaceName;
    private final Path workspace;
    private final File folder;

    /** {@code workspace}: the open workspace file; dialogs start in its folder. */
    public ExportActions(ExportViewModel vm, ResourceBundle text, Supplier<Window> owner, Navigator nav, Path workspace) {
        this.vm = vm;
        this.text = text;
        this.owner = owner;
        this.nav = nav;
        this.workspaceName = workspace.getFileName().toString().replace(".mv.db", "");
        this.workspace = workspace;
        Path dir = workspace.toAbsolutePath().getParent();
        this.folder = dir == null ? null : dir.toFile();
    }

    public void exportFlagged() {
        if (requireScores()) {
            save("export.flagged.title", workspaceName + "-flagged.csv", "CSV", "*.csv").ifPresent(f -> vm.exportFlagged(f, this::info));
        }
    }

    public void exportLabels() {
        save("export.labels.title", workspaceName + "-labels.csv", "CSV", "*.csv").ifPresent(f -> vm.exportLabels(f, this::info));
    }

    public void caseReport() {
        if (!requireScores()) {
            return;
        }
        String user = vm.selectedUser();
        if (user == null) {
            info(text.getString("export.case.nouser"));
            return;
        }
        String safe = user.replaceAll("[^A-Za-z0-9._-]", "_");
        save("export.case.title", workspaceName + "-case-" + safe + ".html", "HTML", "*.html").ifPresent(f -> vm.caseReport(f, this::info));
    }

    public void queueReport() {
        if (requireScores()) {
            save("export.queue.title", workspaceName + "-queue-report.html", "HTML", "*.html").ifPresent(f -> vm.queueReport(f, this::info));
        }
    }

    public void backup() {
        save("export.backup.title", workspaceName + "-backup-" + LocalDate.now() + ".zip", "ZIP", "*.zip")
                .ifPresent(f -> vm.backup(f, this::info));
    }

    public void restore() {
        FileChooser open = new FileChooser();
        open.setInitialDirectory(folder);
        open.setTitle(text.getString("export.restore.from"));
        open.getExtensionFilters().add(new FileChooser.ExtensionFilter("ZIP", "*.zip"));
        File zip = open.showOpenDialog(owner.get());
        if (zip == null) {
            return;
        }
        // the save dialog itself asks before replacing an existing file, so an existing target was confirmed
        saveWorkspace(zip.toPath())
                .ifPresent(target -> vm.restore(zip.toPath(), target, target.toFile().exists(), restored -> {
                    Alert a = new Alert(Alert.AlertType.CONFIRMATION, String.format(text.getString("export.restore.done"), restored),
                            ButtonType.YES, ButtonType.NO);
                    a.initOwner(owner.get());
                    a.setHeaderText(null);
                    a.showAndWait().filter(b -> b == ButtonType.YES).ifPresent(b -> nav.openWorkspace(restored));
                }));
    }

    private boolean requireScores() {
        if (!vm.hasScores()) {
            info(text.getString("export.noscores"));
            return false;
        }
        return true;
    }

    /** A file to write, refused at once (with the reason) if it is the open workspace, one of its files or a folder. */
    private java.util.Optional<Path> save(String titleKey, String name, String what, String glob) {
        return choose(titleKey, name, what, glob).filter(f -> allowed(() ->
                OutputFiles.check("the file", f, Workspace.guardedFiles(workspace))));
    }

    /** The workspace file a backup is restored to: may replace another workspace, never the open one or the backup itself. */
    private java.util.Optional<Path> saveWorkspace(Path zip) {
        List<OutputFiles.Guarded> guarded = new ArrayList<>(Workspace.guardedFiles(workspace));
        guarded.add(OutputFiles.input("backup", zip));
        return choose("export.restore.to", zip.getFileName().toString().replace(".zip", "") + ".mv.db", "Seqwatch workspace", "*.mv.db")
                .filter(f -> allowed(() -> OutputFiles.refuseGuarded("the workspace", f, guarded)));
    }

    private java.util.Optional<Path> choose(String titleKey, String name, String what, String glob) {
        FileChooser c = new FileChooser();
        c.setInitialDirectory(folder);
        c.setTitle(text.getString(titleKey));
        c.setInitialFileName(name);
        c.getExtensionFilters().add(new FileChooser.ExtensionFilter(what, glob));
        File f = c.showSaveDialog(owner.get());
        return java.util.Optional.ofNullable(f).map(File::toPath);
    }

    private boolean allowed(Runnable check) {
        try {
            check.run();
            return true;
        } catch (UserFacingException e) {
            info(e.getMessage());
            return false;
        }
    }

    private void info(String message) {
        Alert a = new Alert(Alert.AlertType.INFORMATION, message);
        a.initOwner(owner.get());
        a.setHeaderText(null);
        a.setTitle("Seqwatch");
        a.show();
    }
}
