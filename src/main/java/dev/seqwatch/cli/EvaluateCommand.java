package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.evaluate.Evaluation;
import dev.seqwatch.evaluate.LabelFile;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.ModelService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code seqwatch evaluate}: metrics of a model against labels, one JSON object with --json. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model against labels (the workspace's current labels, or --labels FILE).")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--db", required = true, description = "workspace file")
    Path db;

    @Option(names = "--model", required = true, description = "model file")
    Path model;

    @Option(names = "--labels", description = "labels file user_id,label[,fraud_type[,note]] (not stored); default: the workspace's labels")
    Path labelsFile;

    @Option(names = "--threshold", description = "flag users with score >= T; default: the model's calibrated threshold, else best F1 on these labels")
    Double threshold;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--by-pattern", description = "per fraud type: ROC-AUC and PR-AUC of that type's users against all normal users "
            + "(other types left out), PR-AUC of chance, recall at the threshold (a table, or 'by_pattern' in --json)")
    boolean byPattern;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        LabelSet labels = labelsFile == null ? null : LabelFile.read(labelsFile);
        Evaluation e;
        String detector;
        int id;
        int seen;
        String foreign;
        // evaluating never writes to the workspace: the model file is read, not stored as a version
        try (ConsoleProgress p = new ConsoleProgress(err); Workspace ws = Workspace.openExisting(db)) {
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            ModelService.ExternalModel mf = svc.readModelFile(model);
            id = svc.versionOf(mf);
            foreign = svc.foreignWarning(mf);
            if (foreign != null) {
                err.println("seqwatch: warning: " + foreign);
            }
            detector = mf.detector().name();
            e = svc.evaluate(mf, labels, threshold == null ? Double.NaN : threshold, p);
            LabelSet evaluated = labels != null ? labels : ws.read(new dev.seqwatch.store.LabelDao()::current);
            seen = svc.labelledWhenTrained(mf, evaluated).size();
        }
        if (seen > 0) {
            err.printf("seqwatch: warning: %d of the evaluated users were labelled when this model was trained (it could learn "
                    + "their answers), so these figures are optimistic; evaluate on users labelled after it (seqwatch diff does) "
                    + "or on another workspace%n", seen);
            err.flush();
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>(e.toMap());
        m.put("detector", detector);
        m.put("model_version", id > 0 ? id : null);
        m.put("evaluated_users_labelled_when_trained", seen);
        m.put("trained_on_another_workspace", foreign != null);
        if (byPattern) {
            m.put("by_pattern", e.byPatternMap());
        }
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(m));
        } else {
            out.printf("%s (%s) on %d users, %d fraud%n", detector,
                    id > 0 ? "model version " + id : "not a version of this workspace", e.nUsers(), e.nFraud());
            out.printf("  threshold %.6g (%s): flagged %d, precision %.4f, recall %.4f, F1 %.4f%n", e.threshold(),
                    e.thresholdSource(), e.flagged(), e.precision(), e.recall(), e.f1());
            out.printf("  ROC-AUC %.4f, PR-AUC (average precision) %.4f, precision@%d %.4f%n", e.rocAuc(), e.prAuc(),
                    e.k(), e.precisionAtK());
            if (byPattern) {
                printByPattern(out, e);
            } else {
                e.perFraudType().forEach((t, v) -> out.printf("  %-20s caught %d of %d%n", t, v[0], v[1]));
            }
        }
        out.flush();
        return 0;
    }

    static void printByPattern(java.io.PrintWriter out, Evaluation e) {
        out.printf("  per fraud type, against the %d normal users (PR-AUC of chance = the type's share):%n", e.normalUsers());
        out.printf("  %-20s %6s %8s %8s %8s %8s%n", "fraud type", "users", "ROC-AUC", "PR-AUC", "chance", "recall");
        e.perFraudType().forEach((t, v) -> out.printf("  %-20s %6d %8.4f %8.4f %8.4f %8.4f%n", t, v[1],
                e.rocAucByFraudType().getOrDefault(t, Double.NaN), e.prAucByFraudType().getOrDefault(t, Double.NaN),
                e.chancePrAuc(t), v[1] == 0 ? Double.NaN : (double) v[0] / v[1]));
    }
}
