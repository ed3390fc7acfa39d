package dev.seqwatch.ui;

import dev.seqwatch.ui.app.WorkbenchApp;
import javafx.application.Application;

/** Starts the JavaFX workbench. Kept separate from Main so the jar can start JavaFX from the class path. */
public final class WorkbenchLauncher {
    private WorkbenchLauncher() {
    }

    public static void launch(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }
}
