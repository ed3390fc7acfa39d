package dev.seqwatch.ui.app;

import java.nio.file.Path;

/** What views may ask of the window: open a workspace (creating it if new), the sample session, the start page. */
public interface Navigator {
    void openWorkspace(Path workspace);

    void openSample();

    void showStart();
}
