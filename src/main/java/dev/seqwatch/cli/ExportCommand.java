package dev.seqwatch.cli;

import dev.seqwatch.export.ExportOptions;
import dev.seqwatch.export.ExportService;
import dev.seqwatch.store.Workspace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code seqwatch export flagged|labels|report}: results that leave the app (CSV, one-file HTML). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export flagged users or the label history as CSV, or an HTML report of a case or the queue.",
        subcommands = {ExportCommand.Flagged.class, ExportCommand.Labels.class, ExportCommand.Report.class})
public final class ExportCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** An export from one workspace: opens it with console progress, writes, prints what was written. */
    abstract static class WorkspaceExport implements Callable<Integer> {
        @Option(names = "--db", required = true, description = "workspace file")
        Path db;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** Writes the export; returns the line that tells what was written. */
        abstract String write(ExportService exports, ConsoleProgress p);

        /** The file the export writes. */
        abstract Path out();

        @Override
        public Integer call() {
            var err = spec.commandLine().getErr();
            Cli.refuseOverwrite("--out", out(), db);
            try (ConsoleProgress p = new ConsoleProgress(err); Workspace ws = Workspace.openExisting(db)) {
                String done = write(new ExportService(ws), p);
                p.close();
                err.println(done);
            }
            err.flush();
            return 0;
        }
    }

    /** Options shared by the exports that need scores. */
    static final class ScoreOptions {
        @Option(names = "--model-version", description = "model version in the workspace (default: the active one)")
        int modelVersion;

        @Option(names = "--threshold", description = "user-score threshold for 'flagged' (default: the model's "
                + "calibrated threshold, else best F1 on the workspace's labels, else the top 5%%)")
        Double threshold;

        @Option(names = "--step-threshold", description = "step-score threshold (default: 99th percentile of step scores)")
        Double stepThreshold;

        @Option(names = "--top-steps", defaultValue = "3", description = "most anomalous steps per user (default: ${DEFAULT-VALUE})")
        int topSteps;

        @Option(names = "--max-users", defaultValue = "0", description = "at most this many flagged users (default: all)")
        int maxUsers;

        ExportOptions toOptions() {
            return ExportOptions.defaults().withModel(modelVersion)
                    .withThresholds(threshold == null ? Double.NaN : threshold, stepThreshold == null ? Double.NaN : stepThreshold)
                    .withTopSteps(topSteps).withMaxUsers(maxUsers);
        }
    }

    @Command(name = "flagged", mixinStandardHelpOptions = true,
            description = "Flagged users (score >= threshold) with rank, current label and their most anomalous steps "
                    + "(action, time, step score, what the model expected) as CSV.")
    static final class Flagged extends WorkspaceExport {
        @Option(names = "--out", required = true, description = "CSV file to write")
        Path out;

        @Override
        Path out() {
            return out;
        }

        @CommandLine.Mixin
        ScoreOptions score;

        @Override
        String write(ExportService exports, ConsoleProgress p) {
            int n = exports.writeFlaggedCsv(out, score.toOptions(), p);
            return "wrote " + n + " flagged users to " + out;
        }
    }

    @Command(name = "labels", mixinStandardHelpOptions = true,
            description = "The whole label history (every row, oldest first, with analyst, time, what it superseded "
                    + "and whether it is the user's current label) as CSV. A row labelled 'retracted' takes the "
                    + "user's label back: a user whose latest row is one is unlabelled (no row current).")
    static final class Labels extends WorkspaceExport {
        @Option(names = "--out", required = true, description = "CSV file to write")
        Path out;

        @Override
        Path out() {
            return out;
        }

        @Override
        String write(ExportService exports, ConsoleProgress p) {
            int n = exports.writeLabelHistoryCsv(out, p);
            return "wrote " + n + " label rows to " + out;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "One self-contained HTML file: of one user with --user (timeline, step strip, top steps, "
                    + "label history), or of the whole queue (heatmap, flagged users, top timelines); with the "
                    + "thresholds, the detector and its metrics.")
    static final class Report extends WorkspaceExport {
        @Option(names = "--out", required = true, description = "HTML file to write")
        Path out;

        @Override
        Path out() {
            return out;
        }

        @Option(names = "--user", description = "the user of a case report (default: a report of the whole queue)")
        String user;

        @Option(names = "--heatmap-users", defaultValue = "60", description = "users (rows) in the heatmap (default: ${DEFAULT-VALUE})")
        int heatmapUsers;

        @CommandLine.Mixin
        ScoreOptions score;

        @Override
        String write(ExportService exports, ConsoleProgress p) {
            ExportOptions o0 = score.toOptions();
            ExportOptions o = new ExportOptions(o0.modelId(), o0.userThreshold(), o0.stepThreshold(), o0.topSteps(),
                    o0.maxUsers(), heatmapUsers, o0.heatmapSteps());
            if (user != null) {
                exports.writeCaseReport(user, out, o, p);
            } else {
                exports.writeQueueReport(out, o, p);
            }
            return "wrote " + (user == null ? "the queue" : "the case") + " report to " + out;
        }
    }
}
