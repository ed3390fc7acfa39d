package dev.seqwatch.cli;

import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.ModelService;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.lstm.LstmDetector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code seqwatch train}: fits a detector on a workspace, stores a model version and writes the model file. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a detector on the workspace's events; stores a new model version and writes the model file.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--db", required = true, description = "workspace file (NAME or NAME.mv.db)")
    Path db;

    @Option(names = "--detector", description = "detector: ${COMPLETION-CANDIDATES}; default ensemble (markov, zscore, iforest, lof; learns from the workspace's labels)",
            completionCandidates = DetectorNames.class)
    String detector;

    @Option(names = "--exclude-fraud", description = "leave users labelled fraud out of training")
    boolean excludeFraud;

    @Option(names = "--epochs", description = "training epochs (0 = the detector's default)", defaultValue = "0")
    int epochs;

    @Option(names = "--seed", description = "random seed", defaultValue = "42")
    long seed;

    @Option(names = "--param", description = "detector parameter KEY=VALUE (repeatable), e.g. --param alpha=0.5")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--complete-sessions", description = "every user's history is complete (one block, one order, one "
            + "ticket per user): the LSTM closes each final session and scores its end (same as --param complete_sessions=true; "
            + "stored with the model)")
    boolean completeSessions;

    @Option(names = "--activate", description = "make the new version active (the first model always is)")
    boolean activate;

    @Option(names = "--model-out", required = true, description = "model file to write")
    Path modelOut;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        DetectorRegistry registry = DetectorRegistry.standard();
        String name = detector != null ? detector : DetectorNames.defaultDetector(registry);
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        Cli.refuseOverwrite("--model-out", modelOut, db);
        if (completeSessions) {
            if (!LstmDetector.NAME.equals(name)) {
                throw new UserFacingException("--complete-sessions applies to the lstm detector, not " + name);
            }
            params.put("complete_sessions", "true");
        }
        try (ConsoleProgress p = new ConsoleProgress(err); Workspace ws = Workspace.openExisting(db)) {
            ModelService svc = new ModelService(ws, registry);
            registry.create(name); // unknown names fail before any work
            err.println("training " + name + " on " + ws.file());
            var r = svc.train(new ModelService.TrainRequest(name, epochs, seed, excludeFraud, params, activate), modelOut, p);
            out.printf("model version %d (%s%s) written to %s%n", r.modelId(), name, r.active() ? ", active" : "", modelOut);
            out.printf("trained on %d users, %d events in %.1f s%s%n", r.report().users(), r.report().events(),
                    r.report().millis() / 1000.0, r.excludedFraudUsers() > 0 ? " (" + r.excludedFraudUsers() + " fraud users left out)" : "");
            if (r.evaluation() != null) {
                var e = r.evaluation();
                out.printf("on %d labelled users (%d fraud): ROC-AUC %.4f, PR-AUC %.4f, best F1 %.4f at threshold %.4f%n",
                        e.nUsers(), e.nFraud(), e.rocAuc(), e.prAuc(), e.bestF1(), e.bestF1Threshold());
            }
            out.flush();
        }
        return 0;
    }
}
