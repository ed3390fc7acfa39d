package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.store.ScoreDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.InvestigationService;
import dev.seqwatch.workflow.LabelNext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code seqwatch queue}: the active model's review queue, most anomalous first or "label next". */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "The active model's queue: --order anomalous (most anomalous first, default) or label-next (unlabelled "
                + "users whose label would teach the model most: uncertain near the threshold, unlike those already labelled).")
public final class QueueCommand implements Callable<Integer> {
    @Option(names = "--db", required = true, description = "workspace file")
    Path db;

    @Option(names = "--order", defaultValue = "anomalous", description = "anomalous (default) or label-next")
    String order;

    @Option(names = "--top", defaultValue = "20", description = "how many users to list (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!order.equals("anomalous") && !order.equals("label-next")) {
            throw new UserFacingException("--order must be anomalous or label-next, was '" + order + "'");
        }
        if (top < 1 || top > 1_000_000) {
            throw new UserFacingException("--top must be 1..1000000, was " + top);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> rows = new ArrayList<>();
        int model;
        try (ConsoleProgress p = new ConsoleProgress(spec.commandLine().getErr()); Workspace ws = Workspace.openExisting(db)) {
            InvestigationService svc = new InvestigationService(ws, "cli");
            InvestigationService.QueueSnapshot q = svc.loadQueue();
            if (q.model().isEmpty() || q.unscored() || q.users().isEmpty()) {
                throw new UserFacingException(db + ": the active model has not scored the users; train and score first (seqwatch train --db "
                        + db + " --model-out M.swm, then seqwatch score --db " + db + " --model M.swm)");
            }
            model = q.model().get().id();
            if (order.equals("anomalous")) {
                for (ScoreDao.UserScoreRow r : q.users()) {
                    if (rows.size() == top) {
                        break;
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("user_id", r.userId());
                    m.put("rank", r.rank());
                    m.put("score", r.score());
                    var l = q.labels().get(r.userId());
                    m.put("label", l == null ? null : l.fraud() ? "fraud" : "normal");
                    rows.add(m);
                }
            } else {
                int place = 0;
                for (LabelNext.Pick pk : svc.labelNextQueue(top, p)) {
                    if (rows.size() == top) {
                        break;
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("user_id", pk.userId());
                    m.put("place", ++place);
                    m.put("score", pk.score());
                    m.put("uncertainty", pk.uncertainty());
                    m.put("diversity", Double.isNaN(pk.diversity()) ? null : pk.diversity());
                    rows.add(m);
                }
            }
        }
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("model_version", model);
            j.put("order", order);
            j.put("users", rows);
            out.println(new ObjectMapper().writeValueAsString(j));
        } else {
            out.printf("model version %d, order %s%n", model, order);
            for (Map<String, Object> m : rows) {
                if (order.equals("anomalous")) {
                    out.printf("%6d  %-24s %10.6g  %s%n", m.get("rank"), m.get("user_id"), (double) m.get("score"),
                            m.get("label") == null ? "" : m.get("label"));
                } else {
                    out.printf("%6d  %-24s score %10.6g  uncertainty %.3f  diversity %s%n", m.get("place"), m.get("user_id"),
                            (double) m.get("score"), (double) m.get("uncertainty"),
                            m.get("diversity") == null ? "-" : String.format("%.3f", (double) m.get("diversity")));
                }
            }
        }
        out.flush();
        return 0;
    }
}
