package dev.seqwatch.ui;

/** Starts the workbench with any arguments (e.g. only {@code --screenshot DIR} for the start page). */
public final class ScreenshotMain {
    public static void main(String[] args) {
        WorkbenchLauncher.launch(args);
    }
}
