package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.evaluate.Evaluation;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.ModelService;
import dev.seqwatch.workflow.VersionDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code seqwatch diff}: what changed between two stored model versions (flipped verdicts, rank moves, unseen labels). */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare two stored model versions: users whose verdict flipped (each version at its calibrated "
                + "threshold, or its top N), the biggest rank moves, and both versions' figures on the labelled users "
                + "that neither was trained on (first labelled after both).")
public final class DiffCommand implements Callable<Integer> {
    @Option(names = "--db", required = true, description = "workspace file")
    Path db;

    @Option(names = "--from", required = true, description = "the earlier model version (id, see the Models view)")
    int from;

    @Option(names = "--to", required = true, description = "the later model version")
    int to;

    @Option(names = "--top", defaultValue = "100", description = "users a version without a calibrated threshold flags (its top N; default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--rows", defaultValue = "20", description = "rows in each list (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        VersionDiff.Result r;
        try (Workspace ws = Workspace.openExisting(db)) {
            r = new VersionDiff(ws, new ModelService(ws, DetectorRegistry.standard())).compute(from, to, top, rows);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", side(r.from()));
            m.put("to", side(r.to()));
            m.put("users", r.users());
            m.put("unseen_labelled_users", r.unseenLabelled());
            m.put("newly_flagged_count", r.newlyFlaggedCount());
            m.put("newly_flagged", changes(r.newlyFlagged()));
            m.put("no_longer_flagged_count", r.noLongerFlaggedCount());
            m.put("no_longer_flagged", changes(r.noLongerFlagged()));
            m.put("biggest_rank_moves", changes(r.biggestMoves()));
            out.println(new ObjectMapper().writeValueAsString(m));
        } else {
            for (VersionDiff.Side s : List.of(r.from(), r.to())) {
                out.printf("version %d (%s, trained %s): flags %,d users at %s %.6g%n", s.modelId(), s.detector(),
                        s.trainedAt(), s.flagged(), s.rule(), s.threshold());
            }
            out.printf("%,d users in both; %,d newly flagged, %,d no longer flagged%n", r.users(), r.newlyFlaggedCount(),
                    r.noLongerFlaggedCount());
            table(out, "newly flagged", r.newlyFlagged());
            table(out, "no longer flagged", r.noLongerFlagged());
            table(out, "biggest rank moves", r.biggestMoves());
            if (r.from().unseen() == null) {
                out.printf("labelled users neither version saw: %d, no fraud among them: no figures%n", r.unseenLabelled());
            } else {
                out.printf("on the %d labelled users neither version saw:%n", r.unseenLabelled());
                for (VersionDiff.Side s : List.of(r.from(), r.to())) {
                    Evaluation e = s.unseen();
                    out.printf("  version %d: precision %.4f, recall %.4f, F1 %.4f, ROC-AUC %.4f, PR-AUC %.4f%n", s.modelId(),
                            e.precision(), e.recall(), e.f1(), e.rocAuc(), e.prAuc());
                }
            }
        }
        out.flush();
        return 0;
    }

    private static void table(PrintWriter out, String title, List<VersionDiff.Change> rows) {
        if (rows.isEmpty()) {
            return;
        }
        out.printf("%s:%n  %-24s %10s %6s %10s %6s %7s  %s%n", title, "user", "score", "rank", "score", "rank", "move", "label");
        for (VersionDiff.Change c : rows) {
            out.printf("  %-24s %10.4g %6d %10.4g %6d %+7d  %s%n", c.userId(), c.fromScore(), c.fromRank(), c.toScore(),
                    c.toRank(), c.rankMove(), c.label() == null ? "" : c.label() ? "fraud" : "normal");
        }
    }

    private static Map<String, Object> side(VersionDiff.Side s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_version", s.modelId());
        m.put("detector", s.detector());
        m.put("trained_at", s.trainedAt().toString());
        m.put("rule", s.rule());
        m.put("threshold", s.threshold());
        m.put("flagged", s.flagged());
        m.put("on_unseen_labels", s.unseen() == null ? null : s.unseen().toMap());
        return m;
    }

    private static List<Map<String, Object>> changes(List<VersionDiff.Change> l) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (VersionDiff.Change c : l) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("user_id", c.userId());
            m.put("from_score", c.fromScore());
            m.put("from_rank", c.fromRank());
            m.put("to_score", c.toScore());
            m.put("to_rank", c.toRank());
            m.put("rank_move", c.rankMove());
            m.put("label", c.label() == null ? null : c.label() ? "fraud" : "normal");
            out.add(m);
        }
        return out;
    }
}
