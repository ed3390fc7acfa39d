package dev.seqwatch.ui.importer;

import dev.seqwatch.ui.common.ControllerFactory;
import dev.seqwatch.ui.common.Theme;
import dev.seqwatch.ui.common.ViewLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.util.ResourceBundle;
import java.util.function.Supplier;

/** File > Import events: one dialog window per open workspace, built on first use and reused. */
public final class ImportDialog {
    private final ImportViewModel vm;
    private final ResourceBundle text;
    private final Theme theme;
    private final Supplier<Window> owner;
    private Stage stage;

    public ImportDialog(ImportViewModel vm, ResourceBundle text, Theme theme, Supplier<Window> owner) {
        this.vm = vm;
        this.text = text;
        this.theme = theme;
        this.owner = owner;
    }

    /** Shows the dialog fresh (nothing of the previous file or import), unless an import is still running. */
    public void show() {
        vm.reset();
        if (stage == null) {
            ControllerFactory f = new ControllerFactory().with(ImportController.class, () -> new ImportController(vm));
            Parent root = new ViewLoader(text, f).load("import").root();
            theme.applyTo(root);
            Scene scene = new Scene(root);
            scene.getStylesheets().add(ImportDialog.class.getResource("/styles/workbench.css").toExternalForm());
            stage = new Stage();
            stage.setTitle(text.getString("import.title"));
            stage.initOwner(owner.get());
            stage.initModality(Modality.WINDOW_MODAL);
            stage.setScene(scene);
            // an import keeps running in the background; closing only hides the window
            stage.setOnCloseRequest(e -> {
                if (vm.busyProperty().get()) {
                    e.consume();
                }
            });
        }
        stage.show();
        stage.toFront();
    }

    public ImportViewModel viewModel() {
        return vm;
    }

    /** The dialog window once shown (for the screenshot tour), else null. */
    public Stage stage() {
        return stage;
    }
}
