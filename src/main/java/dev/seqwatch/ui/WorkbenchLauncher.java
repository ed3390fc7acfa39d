package dev.seqwatch.ui;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/** Starts the JavaFX workbench. Kept separate from Main so the jar can start JavaFX from the class path. */
public final class WorkbenchLauncher {
    private WorkbenchLauncher() {
    }

    public static void launch(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }

    /** Placeholder window until the workbench views land (issue 4). */
    public static final class WorkbenchApp extends Application {
        @Override
        public void start(Stage stage) {
            stage.setTitle("Seqwatch");
            stage.setScene(new Scene(new Label("Seqwatch workbench"), 640, 400));
            stage.show();
        }
    }
}
