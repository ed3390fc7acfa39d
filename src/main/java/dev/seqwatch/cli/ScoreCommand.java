package dev.seqwatch.cli;

import dev.seqwatch.common.OutputFiles;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.export.SafeCsv;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.ModelService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code seqwatch score}: scores every user (and step) with a model file and stores the scores. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score every user and step with a model; stores the scores in the workspace (as the version "
                + "holding this model file) and optionally writes user_id,score,rank as CSV.")
public final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--db", required = true, description = "workspace file")
    Path db;

    @Option(names = "--model", required = true, description = "model file (from seqwatch train)")
    Path model;

    @Option(names = "--out", description = "CSV file for user_id,score,rank (most anomalous first)")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        Cli.refuseOverwrite("--out", out, db, OutputFiles.input("--model", model));
        try (ConsoleProgress p = new ConsoleProgress(err); Workspace ws = Workspace.openExisting(db)) {
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            ModelService.ExternalModel m = svc.readModelFile(model);
            String foreign = svc.foreignWarning(m);
            if (foreign != null) {
                err.println("seqwatch: warning: " + foreign);
            }
            // the CSV is written (to its temporary name) before the scores are stored and moved into
            // place after: a full disk fails the command with the workspace unchanged
            var r = svc.scoreFile(m, s -> out == null ? null : stageCsv(out, s.ranked()), p);
            int id = r.modelId();
            err.printf("scored %d users with model version %d (%s) in %.2f s%s%n", r.scores().users().size(), id,
                    r.scores().detector(), r.millis() / 1000.0, out == null ? "" : "; wrote " + out);
            err.flush();
        }
        return 0;
    }

    /** user_id,score,rank, most anomalous first, through the one CSV writer (formula-like ids neutralised). */
    static OutputFiles.Staged stageCsv(Path file, List<UserScores> ranked) {
        return SafeCsv.stage(file, csv -> {
            csv.row("user_id", "score", "rank");
            int rank = 0;
            for (UserScores u : ranked) {
                csv.row(u.userId(), Double.toString(u.score()), Integer.toString(++rank));
            }
        });
    }
}
