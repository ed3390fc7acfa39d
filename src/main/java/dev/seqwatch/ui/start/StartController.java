package dev.seqwatch.ui.start;

import dev.seqwatch.store.Workspace;
import javafx.concurrent.Task;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import org.controlsfx.control.TaskProgressView;

import java.io.File;
import java.nio.file.Path;
import java.util.ResourceBundle;

/** The start page: recent workspaces, open / create, the sample session, and progress while opening. */
public final class StartController {
    private final StartViewModel vm;
    private final ObservableList<Task<?>> running;

    @FXML private ListView<String> recent;
    @FXML private Label message;
    @FXML private StackPane progressHost;
    @FXML private Button sampleButton;
    @FXML private Button openButton;
    @FXML private Button newButton;
    @FXML private ResourceBundle resources;

    public StartController(StartViewModel vm, ObservableList<Task<?>> running) {
        this.vm = vm;
        this.running = running;
    }

    @FXML
    private void initialize() {
        recent.setItems(vm.recent());
        recent.setPlaceholder(new Label(resources.getString("start.recent.none")));
        recent.setCellFactory(lv -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(String p, boolean empty) {
                super.updateItem(p, empty);
                if (empty || p == null) {
                    setText(null);
                    return;
                }
                Path path = Path.of(p);
                Path dir = path.toAbsolutePath().getParent();
                setText(path.getFileName() + (dir == null ? "" : "   \u2014 " + dir));
            }
        });
        recent.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                openSelectedRecent();
            }
        });
        recent.setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ENTER) {
                openSelectedRecent();
            }
        });
        TaskProgressView<Task<?>> progress = new TaskProgressView<>();
        // TaskProgressView drops finished tasks itself, so it only needs to hear about new ones
        progress.getTasks().addAll(running);
        running.addListener((javafx.collections.ListChangeListener<Task<?>>) c -> {
            while (c.next()) {
                progress.getTasks().addAll(c.getAddedSubList());
            }
        });
        progress.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(running));
        progress.setMaxHeight(160);
        progressHost.getChildren().add(progress);
        for (Button b : new Button[]{sampleButton, openButton, newButton}) {
            b.disableProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(running));
        }
    }

    private void openSelectedRecent() {
        message.setText(orEmpty(vm.openRecent(recent.getSelectionModel().getSelectedItem())));
    }

    @FXML
    private void openSample() {
        vm.openSample();
    }

    @FXML
    private void openWorkspace() {
        FileChooser fc = chooser("start.open.title");
        File f = fc.showOpenDialog(recent.getScene().getWindow());
        vm.open(f == null ? null : f.toPath());
    }

    @FXML
    private void newWorkspace() {
        FileChooser fc = chooser("start.new.title");
        File f = fc.showSaveDialog(recent.getScene().getWindow());
        message.setText(orEmpty(vm.create(f == null ? null : f.toPath())));
    }

    private FileChooser chooser(String titleKey) {
        FileChooser fc = new FileChooser();
        fc.setTitle(resources.getString(titleKey));
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(resources.getString("start.filter"), "*" + Workspace.SUFFIX));
        if (!vm.recent().isEmpty()) {
            File dir = Path.of(vm.recent().get(0)).toAbsolutePath().getParent().toFile();
            if (dir.isDirectory()) {
                fc.setInitialDirectory(dir);
            }
        }
        return fc;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
