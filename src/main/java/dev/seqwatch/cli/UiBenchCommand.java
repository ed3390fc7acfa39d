package dev.seqwatch.cli;

import dev.seqwatch.ui.bench.UiBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code seqwatch bench ui}: the workbench's interactive paths, measured by {@link UiBench}. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Workbench timings: slider-to-metrics, heatmap redraw, workspace open (medians).")
public final class UiBenchCommand implements Runnable {
    @Option(names = "--users", description = "scored users in the synthetic workspace (default ${DEFAULT-VALUE})")
    int users = 100_000;

    @Option(names = "--events-per-user", description = "events per user (default ${DEFAULT-VALUE})")
    int eventsPerUser = 10;

    @Option(names = "--runs", description = "repetitions per figure (default ${DEFAULT-VALUE})")
    int runs = 9;

    @Option(names = "--dir", description = "folder for the synthetic workspace (kept and reused; default: a temporary folder)")
    Path dir;

    @Option(names = "--workspace", description = "only the open figures, on this existing workspace (e.g. a 10M-event import)")
    Path workspace;

    @Override
    public void run() {
        if (workspace != null) {
            new UiBench(users, eventsPerUser, runs, dir).runOpen(workspace);
            return;
        }
        new UiBench(users, eventsPerUser, runs, dir).run();
    }
}
