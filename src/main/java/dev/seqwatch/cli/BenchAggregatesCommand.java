package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.Detector;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.detect.lstm.LstmBenchmark;
import dev.seqwatch.detect.lstm.LstmDetector;
import dev.seqwatch.evaluate.Evaluation;
import dev.seqwatch.evaluate.LabelFile;
import dev.seqwatch.evaluate.LabelledScores;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code seqwatch bench aggregates}: which LSTM user aggregate ranks fraud best on a labelled workspace,
 * unsupervised (trained on every user, labels only to evaluate), with the Isolation Forest on the same
 * workspace in the same run. Per seed the LSTM is trained once and every aggregate is computed from the
 * same step scores; ROC-AUC, PR-AUC and per fraud type ROC-AUC / PR-AUC (that type against the normal users)
 * are reported as medians over the seeds.
 */
@Command(name = "aggregates", mixinStandardHelpOptions = true,
        description = "Every LSTM aggregate's ROC-AUC / PR-AUC, overall and per fraud type, unsupervised, beside the Isolation Forest.")
public final class BenchAggregatesCommand implements Callable<Integer> {
    @Option(names = "--db", required = true, description = "workspace file")
    Path db;
    @Option(names = "--labels", required = true, description = "answer key user_id,label[,fraud_type[,note]] (e.g. truth.csv)")
    Path labels;
    @Option(names = "--runs", defaultValue = "3", description = "training seeds (seed, seed+1, ...); medians are reported")
    int runs;
    @Option(names = "--seed", defaultValue = "1")
    long seed;
    @Option(names = "--epochs", defaultValue = "0", description = "LSTM epochs (0 = its default)")
    int epochs;
    @Option(names = "--param", description = "LSTM parameter KEY=VALUE (repeatable)")
    Map<String, String> params = new LinkedHashMap<>();
    @Option(names = "--peers", split = ",", defaultValue = "iforest",
            description = "other detectors trained and scored on the same workspace per seed (default: iforest; 'none' for none)")
    List<String> peers;
    @Option(names = "--json", description = "one JSON object on stdout")
    boolean json;
    @Option(names = "--quiet", description = "no progress on stderr")
    boolean quiet;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One scorer's figures in one run: ROC-AUC, PR-AUC, and per type {ROC-AUC, PR-AUC}. */
    record Figures(double rocAuc, double prAuc, Map<String, double[]> byType) {
        static Figures of(Evaluation e) {
            Map<String, double[]> t = new LinkedHashMap<>();
            for (String type : e.perFraudType().keySet()) {
                t.put(type, new double[]{e.rocAucByFraudType().getOrDefault(type, Double.NaN),
                        e.prAucByFraudType().getOrDefault(type, Double.NaN)});
            }
            return new Figures(e.rocAuc(), e.prAuc(), t);
        }
    }

    @Override
    public Integer call() {
        if (runs < 1) {
            throw new UserFacingException("--runs " + runs + ": must be at least 1");
        }
        DetectorRegistry registry = DetectorRegistry.standard();
        registry.checkParams(LstmDetector.NAME, params);
        List<String> others = peers.size() == 1 && peers.get(0).equals("none") ? List.of() : peers;
        for (String o : others) {
            registry.create(o);    // unknown names refused before any training
        }
        LabelSet answer = LabelFile.read(labels);
        PrintWriter err = spec.commandLine().getErr();
        SequenceSet all;
        try (Workspace ws = Workspace.openExisting(db)) {
            all = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
        }
        // scorer name -> one Figures per run
        Map<String, List<Figures>> figures = new LinkedHashMap<>();
        Map<String, Double> chance = new LinkedHashMap<>();
        int[] counts = new int[2];
        for (int r = 0; r < runs; r++) {
            long s = seed + r;
            try (CliProgress progress = new CliProgress(quiet)) {
                LstmDetector d = new LstmDetector();
                long t0 = System.nanoTime();
                d.fit(all, new FitOptions(epochs, s, false, LabelSet.empty(), params), progress);
                Scores sc = d.score(all, progress);
                double secs = (System.nanoTime() - t0) / 1e9;
                for (String name : LstmDetector.aggregateNames()) {
                    List<UserScores> us = new ArrayList<>(sc.users().size());
                    for (UserScores u : sc.users()) {
                        us.add(new UserScores(u.userId(), d.aggregate(name, u), null, null));
                    }
                    Evaluation e = Evaluation.of(LabelledScores.of(new Scores(name, List.of(), 0, us), answer), Double.NaN);
                    figures.computeIfAbsent("lstm:" + name, k -> new ArrayList<>()).add(Figures.of(e));
                    if (chance.isEmpty()) {
                        e.perFraudType().keySet().forEach(t -> chance.put(t, e.chancePrAuc(t)));
                        counts[0] = e.nUsers();
                        counts[1] = e.nFraud();
                    }
                }
                if (!quiet) {
                    err.printf("seqwatch: run %d (seed %d): LSTM trained and scored in %.0f s%n", r + 1, s, secs);
                }
                for (String o : others) {
                    Detector det = registry.create(o);
                    det.fit(all, new FitOptions(0, s, false, LabelSet.empty(), Map.of()), ProgressListener.NONE);
                    Evaluation e = Evaluation.of(det.score(all, ProgressListener.NONE), answer, Double.NaN);
                    figures.computeIfAbsent(o, k -> new ArrayList<>()).add(Figures.of(e));
                }
                progress.done();
            }
            err.flush();
        }
        ObjectNode o = ModelFile.json().createObjectNode();
        o.put("users", counts[0]);
        o.put("fraud", counts[1]);
        o.put("runs", runs);
        o.put("first_seed", seed);
        ObjectNode lp = o.putObject("lstm_params");
        params.forEach(lp::put);
        lp.put("epochs", epochs == 0 ? "default" : "" + epochs);
        ObjectNode ch = o.putObject("pr_auc_chance");
        chance.forEach(ch::put);
        ObjectNode sc = o.putObject("scorers");
        TreeSet<String> types = new TreeSet<>(chance.keySet());
        figures.forEach((name, list) -> {
            ObjectNode n = sc.putObject(name);
            n.put("roc_auc", round(median(list, f -> f.rocAuc())));
            n.put("pr_auc", round(median(list, f -> f.prAuc())));
            ArrayNode per = n.putArray("pr_auc_per_run");
            list.forEach(f -> per.add(round(f.prAuc())));
            ObjectNode bt = n.putObject("by_fraud_type");
            for (String t : types) {
                ObjectNode x = bt.putObject(t);
                x.put("roc_auc", round(median(list, f -> f.byType().getOrDefault(t, new double[]{Double.NaN, Double.NaN})[0])));
                x.put("pr_auc", round(median(list, f -> f.byType().getOrDefault(t, new double[]{Double.NaN, Double.NaN})[1])));
            }
        });
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(o.toString());
        } else {
            out.printf("%d users, %d fraud; unsupervised; medians of %d seeds from %d; per fraud type: ROC-AUC / PR-AUC against the normal users%n",
                    counts[0], counts[1], runs, seed);
            StringBuilder head = new StringBuilder(String.format("%-18s %7s %7s", "scorer", "ROC-AUC", "PR-AUC"));
            for (String t : types) {
                head.append(String.format(" %15s", t.length() > 15 ? t.substring(0, 15) : t));
            }
            out.println(head);
            figures.keySet().forEach(name -> {
                ObjectNode n = (ObjectNode) sc.get(name);
                StringBuilder line = new StringBuilder(String.format("%-18s %7.4f %7.4f", name, n.get("roc_auc").asDouble(),
                        n.get("pr_auc").asDouble()));
                for (String t : types) {
                    line.append(String.format("   %5.3f / %5.3f", n.get("by_fraud_type").get(t).get("roc_auc").asDouble(),
                            n.get("by_fraud_type").get(t).get("pr_auc").asDouble()));
                }
                out.println(line);
            });
            StringBuilder line = new StringBuilder(String.format("%-18s %7s %7s", "(chance PR-AUC)", "", ""));
            for (String t : types) {
                line.append(String.format("           %5.3f", chance.get(t)));
            }
            out.println(line);
        }
        out.flush();
        return 0;
    }

    private static double median(List<Figures> list, java.util.function.ToDoubleFunction<Figures> f) {
        return LstmBenchmark.median(list.stream().mapToDouble(f).toArray());
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : Double.NaN;
    }
}
