package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.store.ModelDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.ModelService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code seqwatch models}: the stored model versions with what each was trained on and its figures. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the workspace's model versions: detector, when, parameters and seed, what it was trained on "
                + "(users, events, labelled users, fraud users left out) and its figures on the labelled users it was "
                + "trained beside (optimistic for detectors that learn from labels; use seqwatch diff or compare).")
public final class ModelsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--db", required = true, description = "workspace file")
    Path db;

    @Option(names = "--json", description = "print one JSON array")
    boolean json;

    @Option(names = "--activate", paramLabel = "V", description = "make version V the active one (roll back or forward): "
            + "at once when its stored scores cover every import, else after scoring every user with it")
    Integer activate;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<ModelDao.ModelRecord> versions;
        Map<Integer, Boolean> current = new HashMap<>();
        try (Workspace ws = Workspace.openExisting(db)) {
            ModelService svc = new ModelService(ws, DetectorRegistry.standard());
            if (activate != null) {
                ModelService.Activation a;
                try (ConsoleProgress p = new ConsoleProgress(spec.commandLine().getErr())) {
                    a = svc.rollTo(activate, p);
                }
                out.printf(Locale.ROOT, "model version %d is active (%s, %.1f s)%n", a.modelId(),
                        a.rescored() ? "scored every user: it had no stored scores covering the newest import"
                                : "its stored scores are current: nothing re-scored", a.millis() / 1000.0);
                out.flush();
                return 0;
            }
            versions = svc.versions();
            for (ModelDao.ModelRecord m : versions) {
                current.put(m.id(), svc.hasCurrentScores(m.id()));
            }
        }
        if (json) {
            ArrayNode a = JSON.createArrayNode();
            for (ModelDao.ModelRecord m : versions) {
                ObjectNode o = a.addObject();
                o.put("model_version", m.id());
                o.put("detector", m.detector());
                o.put("active", m.active());
                o.put("scores_current", current.get(m.id()));
                o.put("trained_at", m.createdAt().toString());
                o.set("run", tree(m.paramsJson()));
                o.set("trained_on", tree(m.trainedOnJson()));
                o.set("metrics", tree(m.metricsJson()));
            }
            out.println(JSON.writeValueAsString(a));
        } else if (versions.isEmpty()) {
            out.println("no model versions yet: train one (seqwatch train --db " + db + " --detector ensemble)");
        } else {
            out.printf("%-3s %-1s %-10s %-20s %-6s %6s %8s %10s %8s %6s %8s %8s  %s%n", "v", "", "detector", "trained",
                    "scores", "seed", "users", "events", "labelled", "left", "ROC-AUC", "PR-AUC", "parameters");
            for (ModelDao.ModelRecord m : versions) {
                JsonNode run = tree(m.paramsJson());
                JsonNode on = tree(m.trainedOnJson());
                JsonNode metrics = tree(m.metricsJson());
                out.printf(Locale.ROOT, "%-3d %-1s %-10s %-20s %-6s %6s %8s %10s %8s %6s %8s %8s  %s%n", m.id(),
                        m.active() ? "*" : "", m.detector(), m.createdAt().toString().substring(0, 19).replace('T', ' '),
                        current.get(m.id()) ? "stored" : "-",
                        run.path("seed").asText(""), on.path("users").asText(""), on.path("events").asText(""),
                        on.path("labelled_users").asText(""), on.path("excluded_fraud_users").asText(""),
                        fmt(metrics.path("roc_auc")), fmt(metrics.path("pr_auc")), run.path("params").toString());
            }
            out.println("* active; scores: stored = its scores cover every import, so --activate V is instant (the last "
                    + ModelService.keepScoredVersions() + " scored versions keep theirs); "
                    + "labelled / left = labelled users when trained / fraud users left out of training; "
                    + "ROC-AUC and PR-AUC on those labelled users");
        }
        out.flush();
        return 0;
    }

    private static JsonNode tree(String json) throws IOException {
        return json == null ? JSON.nullNode() : JSON.readTree(json);
    }

    private static String fmt(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.4f", n.asDouble()) : "";
    }
}
