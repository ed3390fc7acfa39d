package dev.seqwatch.cli;

import de.siegmar.fastcsv.writer.CsvWriter;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.ModelService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        try (ConsoleProgress p = new ConsoleProgress(err); Workspace ws = Workspace.open(db)) {
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            int id = svc.addModelFile(model);
            var r = svc.score(id, p);
            if (out != null) {
                writeCsv(out, r.scores().ranked());
            }
            err.printf("scored %d users with model version %d (%s) in %.2f s%s%n", r.scores().users().size(), id,
                    r.scores().detector(), r.millis() / 1000.0, out == null ? "" : "; wrote " + out);
            err.flush();
        }
        return 0;
    }

    static void writeCsv(Path file, List<UserScores> ranked) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".scores-", ".tmp");
            try {
                try (CsvWriter w = CsvWriter.builder().build(tmp)) {
                    w.writeRecord("user_id", "score", "rank");
                    int rank = 0;
                    for (UserScores u : ranked) {
                        w.writeRecord(u.userId(), Double.toString(u.score()), Integer.toString(++rank));
                    }
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserFacingException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
