package dev.seqwatch.ui.start;

import dev.seqwatch.store.Workspace;
import dev.seqwatch.ui.app.AppSettings;
import dev.seqwatch.ui.app.Navigator;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.Path;

/** Recent workspaces and the ways in: open, create, sample session. */
public final class StartViewModel {
    private final AppSettings settings;
    private final Navigator nav;
    private final ObservableList<String> recent = FXCollections.observableArrayList();

    public StartViewModel(AppSettings settings, Navigator nav) {
        this.settings = settings;
        this.nav = nav;
        recent.setAll(settings.values().recentWorkspaces);
    }

    public ObservableList<String> recent() {
        return recent;
    }

    /** Opens a recent entry; one whose file is gone is dropped from the list with a message. */
    public String openRecent(String path) {
        if (path == null) {
            return null;
        }
        Path p = Path.of(path);
        if (!Files.exists(Workspace.fileOf(p))) {
            settings.forget(path);
            settings.save();
            recent.remove(path);
            return "The workspace " + path + " no longer exists; removed it from the list.";
        }
        nav.openWorkspace(p);
        return null;
    }

    public void open(Path p) {
        if (p != null) {
            nav.openWorkspace(p);
        }
    }

    /** A new workspace file: the name gets the workspace suffix if it lacks it. */
    public String create(Path p) {
        if (p == null) {
            return null;
        }
        Path file = Workspace.fileOf(p);
        if (Files.exists(file)) {
            return file + " already exists; use Open workspace to open it.";
        }
        nav.openWorkspace(file);
        return null;
    }

    public void openSample() {
        nav.openSample();
    }
}
