package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.OutputFiles;
import dev.seqwatch.export.SafeCsv;
import dev.seqwatch.rings.RingGraph;
import dev.seqwatch.rings.RingInput;
import dev.seqwatch.rings.RingLinker;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code seqwatch rings}: links the workspace's users by what they share and writes the rings (and neighbours) as CSV. */
@Command(name = "rings", mixinStandardHelpOptions = true,
        description = "Link users by the items they touch within a time window, identical amounts and near-identical "
                + "action/gap sequences (MinHash + LSH); write the rings (connected groups of mutual strong links: size, "
                + "labelled members, share labelled fraud, what links them, members) as CSV, and optionally every "
                + "user's top neighbours.")
public final class RingsCommand implements Callable<Integer> {
    @Option(names = "--db", required = true, description = "workspace file")
    Path db;

    @Option(names = "--out", required = true, description = "CSV file for the rings, largest first")
    Path out;

    @Option(names = "--neighbours", description = "CSV file for user_id,rank,neighbour,strength,shared_item_windows,shared_amounts,sequence_similarity")
    Path neighbours;

    @Option(names = "--window", defaultValue = "86400", description = "item window in seconds (default ${DEFAULT-VALUE})")
    long window;

    @Option(names = "--top", defaultValue = "25", description = "neighbours per user (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--bucket-cap", defaultValue = "200", description = "a key shared by more users links nobody (default ${DEFAULT-VALUE})")
    int bucketCap;

    @Option(names = "--json", description = "print a JSON summary (the largest rings) instead of text")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (window < 1 || top < 1 || bucketCap < 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--window must be at least 1 s, --top at least 1 and --bucket-cap at least 2");
        }
        Cli.refuseOverwrite("--out", out, db, OutputFiles.input("--neighbours", neighbours));
        Cli.refuseOverwrite("--neighbours", neighbours, db, OutputFiles.input("--out", out));
        PrintWriter err = spec.commandLine().getErr();
        RingLinker.Params p = RingLinker.Params.defaults().withWindow(window).withTopK(top).withBucketCap(bucketCap);
        RingGraph g;
        LabelSet labels;
        long t0 = System.nanoTime();
        try (ConsoleProgress progress = new ConsoleProgress(err); Workspace ws = Workspace.openExisting(db)) {
            SequenceSet all = ws.read(c -> new EventDao().loadAll(c, progress));
            labels = ws.read(new LabelDao()::current);
            g = new RingLinker(p).link(RingInput.of(all), progress);
        }
        List<RingGraph.Ring> rings = g.rings();
        LabelSet lab = labels;
        SafeCsv.write(out, csv -> {
            csv.row("ring", "size", "labelled", "labelled_fraud", "fraud_share", "linked_by", "mean_strength", "members");
            for (RingGraph.Ring r : rings) {
                int[] c = counts(g, r, lab);
                double share = g.fraudShare(r, lab::isFraud);
                csv.row(Integer.toString(r.id()), Integer.toString(r.size()), Integer.toString(c[0]), Integer.toString(c[1]),
                        Double.isNaN(share) ? "" : String.format(Locale.ROOT, "%.4f", share), r.linkedBy(),
                        String.format(Locale.ROOT, "%.3f", r.meanStrength()), members(g, r));
            }
        });
        if (neighbours != null) {
            SafeCsv.write(neighbours, csv -> {
                csv.row("user_id", "rank", "neighbour", "strength", "shared_item_windows", "shared_amounts", "sequence_similarity");
                for (int u = 0; u < g.users(); u++) {
                    int rank = 0;
                    for (RingGraph.Link l : g.neighbours(u)) {
                        csv.row(g.userId(u), Integer.toString(++rank), l.userId(), String.format(Locale.ROOT, "%.3f", l.strength()),
                                Integer.toString(l.sharedItemWindows()), Integer.toString(l.sharedAmounts()),
                                String.format(Locale.ROOT, "%.3f", l.sequenceSimilarity()));
                    }
                }
            });
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("users", g.users());
            m.put("rings", rings.size());
            m.put("keys_over_cap", g.skippedKeys());
            m.put("seconds", secs);
            List<Map<String, Object>> top10 = new ArrayList<>();
            for (RingGraph.Ring r : rings.subList(0, Math.min(10, rings.size()))) {
                Map<String, Object> x = new LinkedHashMap<>();
                int[] c = counts(g, r, lab);
                double share = g.fraudShare(r, lab::isFraud);
                x.put("ring", r.id());
                x.put("size", r.size());
                x.put("labelled", c[0]);
                x.put("labelled_fraud", c[1]);
                x.put("fraud_share", Double.isNaN(share) ? null : share);
                x.put("linked_by", r.linkedBy());
                top10.add(x);
            }
            m.put("largest", top10);
            o.println(new ObjectMapper().writeValueAsString(m));
        } else {
            o.printf("linked %,d users in %.1f s: %,d rings (%,d keys shared by more than %d users ignored); wrote %s%s%n",
                    g.users(), secs, rings.size(), g.skippedKeys(), bucketCap, out, neighbours == null ? "" : " and " + neighbours);
        }
        o.flush();
        return 0;
    }

    private static int[] counts(RingGraph g, RingGraph.Ring r, LabelSet labels) {
        int labelled = 0;
        int fraud = 0;
        for (int u : r.members()) {
            Boolean f = labels.isFraud(g.userId(u));
            if (f != null) {
                labelled++;
                fraud += f ? 1 : 0;
            }
        }
        return new int[] {labelled, fraud};
    }

    private static String members(RingGraph g, RingGraph.Ring r) {
        StringBuilder sb = new StringBuilder();
        for (int u : r.members()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(g.userId(u));
        }
        return sb.toString();
    }
}
