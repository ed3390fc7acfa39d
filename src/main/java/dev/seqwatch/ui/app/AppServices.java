package dev.seqwatch.ui.app;

import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.ui.common.ErrorDialogs;
import dev.seqwatch.ui.common.FxTaskExecutor;
import dev.seqwatch.ui.common.Theme;

import java.nio.file.Path;
import java.util.ResourceBundle;
import java.util.concurrent.Executor;

/**
 * The application-wide services the composition root ({@link WorkbenchApp}) builds once and hands
 * down explicitly; nothing here is static.
 *
 * @param sliderWorker one background thread for "latest wins" slider computations
 * @param home         the Seqwatch home folder (settings, sample workspaces)
 */
public record AppServices(ResourceBundle text, FxTaskExecutor tasks, Theme theme, ErrorDialogs errors,
                          AppSettings settings, DetectorRegistry detectors, Executor sliderWorker, Path home,
                          String analyst, WorkspaceOpener sampleOpener) {

    /** Opens (and if needed prepares) a workspace, reporting progress. */
    @FunctionalInterface
    public interface WorkspaceOpener {
        dev.seqwatch.store.Workspace open(dev.seqwatch.common.ProgressListener p) throws Exception;
    }
}
