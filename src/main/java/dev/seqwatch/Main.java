package dev.seqwatch;

import dev.seqwatch.cli.SeqwatchCli;

/**
 * Entry point of {@code seqwatch.jar}: with no arguments (or only GUI options such as
 * {@code --open}) it opens the workbench; with a sub-command it runs headless.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (SeqwatchCli.isGuiInvocation(args)) {
            dev.seqwatch.ui.WorkbenchLauncher.launch(args);
            return;
        }
        System.exit(SeqwatchCli.run(args));
    }
}
