package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.detect.lstm.LstmBackend;
import dev.seqwatch.detect.lstm.LstmDetector;
import dev.seqwatch.detect.lstm.LstmBenchmark;
import dev.seqwatch.evaluate.LabelFile;
import dev.seqwatch.evaluate.LabelledScores;
import dev.seqwatch.evaluate.ProjectedRatio;
import dev.seqwatch.evaluate.ThresholdCurve;
import dev.seqwatch.ingest.EventImporter;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * {@code seqwatch bench hdfs}: DeepLog's HDFS benchmark end to end. Imports the training and test sessions
 * into temporary workspaces, trains the LSTM with complete sessions on the (normal) training sessions,
 * scores the test sessions and prints ROC-AUC, PR-AUC and, at thresholds that never look at the test
 * labels (any step outside the top g; a quantile of the training sessions' scores), recall, false-positive
 * rate and precision / F1 projected to the paper's class ratio; the best-threshold F1 (which does look at
 * the labels) is printed as such. With {@code --peer} the DeepLog PyTorch peer runs in the same
 * invocation on the same files and its figures are printed beside ours.
 */
@Command(name = "hdfs", mixinStandardHelpOptions = true,
        description = "DeepLog's HDFS benchmark: train on normal sessions, score labelled test sessions, F1 at the paper's ratio.")
public final class BenchHdfsCommand implements Callable<Integer> {
    @Option(names = "--train", required = true, description = "training sessions CSV (header user_id,timestamp,action)")
    Path train;
    @Option(names = "--dev", required = true, description = "test sessions CSV (same header)")
    Path dev;
    @Option(names = "--labels", required = true, description = "labels CSV for the test sessions (user_id,label)")
    Path labels;
    @Option(names = "--runs", defaultValue = "3", description = "training seeds (seed, seed+1, ...); medians are reported")
    int runs;
    @Option(names = "--seed", defaultValue = "1")
    long seed;
    @Option(names = "--epochs", defaultValue = "0", description = "training epochs (0 = the LSTM's default)")
    int epochs;
    @Option(names = "--param", description = "LSTM parameter KEY=VALUE (repeatable); complete_sessions=true is preset")
    Map<String, String> params = new LinkedHashMap<>();
    @Option(names = "--train-quantile", defaultValue = "0.999",
            description = "threshold = this quantile of the training sessions' scores; flag sessions scoring above it")
    double trainQuantile;
    @Option(names = "--normal", defaultValue = "553366", description = "normal sessions of the ratio F1 is projected to")
    long normal;
    @Option(names = "--abnormal", defaultValue = "16838", description = "abnormal sessions of the ratio F1 is projected to")
    long abnormal;
    @Option(names = "--peer", description = "path of deeplog_peer.py: run it once on the same files, print its figures beside ours")
    Path peer;
    @Option(names = "--peer-epochs", defaultValue = "15")
    int peerEpochs;
    @Option(names = "--python", defaultValue = "/usr/bin/python3")
    String python;
    @Option(names = "--sweep", description = "also the any-step-outside-top-g figures for g = 1..20 and every aggregate's "
            + "ROC-AUC / PR-AUC / training-quantile F1 from the same scores (for tuning on this test half)")
    boolean sweep;
    @Option(names = "--json", description = "one JSON object on stdout")
    boolean json;
    @Option(names = "--quiet", description = "no progress on stderr")
    boolean quiet;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The figures of one training run. */
    record Run(long seed, double rocAuc, double prAuc, ProjectedRatio.Projected topG, ProjectedRatio.Projected quantile,
               ProjectedRatio.Projected best, int topGValue, double trainSeconds, double scoreSeconds,
               Map<Integer, ProjectedRatio.Projected> gSweep, Map<String, double[]> aggregates) {
        Run(long seed, double rocAuc, double prAuc, ProjectedRatio.Projected topG, ProjectedRatio.Projected quantile,
            ProjectedRatio.Projected best, int topGValue, double trainSeconds, double scoreSeconds) {
            this(seed, rocAuc, prAuc, topG, quantile, best, topGValue, trainSeconds, scoreSeconds, Map.of(), Map.of());
        }
    }

    @Override
    public Integer call() throws Exception {
        for (Path f : List.of(train, dev, labels)) {
            if (!Files.isRegularFile(f)) {
                throw new UserFacingException(f + ": no such file");
            }
        }
        if (runs < 1) {
            throw new UserFacingException("--runs " + runs + ": must be at least 1");
        }
        if (!(trainQuantile > 0 && trainQuantile <= 1)) {
            throw new UserFacingException("--train-quantile " + trainQuantile + ": must be in (0, 1]");
        }
        ProjectedRatio ratio = Cli.parse(() -> new ProjectedRatio(normal, abnormal));
        LabelSet labelSet = LabelFile.read(labels);
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("complete_sessions", "true");
        p.putAll(params);
        Path tmp = Files.createTempDirectory("seqwatch-bench-hdfs");
        SequenceSet trainSet;
        SequenceSet devSet;
        try {
            trainSet = importAndLoad(train, tmp.resolve("train"));
            devSet = importAndLoad(dev, tmp.resolve("dev"));
        } finally {
            deleteTree(tmp);
        }
        err.printf("seqwatch: %d training sessions, %d test sessions (%d labelled); LSTM on %s%n", trainSet.size(),
                devSet.size(), labelSet.size(), LstmBackend.describe());
        err.flush();
        List<Run> rs = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long s = seed + r;
            Run run = runOnce(trainSet, devSet, labelSet, p, s, ratio);
            rs.add(run);
            err.printf("seqwatch: run %d (seed %d): ROC-AUC %.4f, PR-AUC %.4f; any step outside top %d: recall %.4f, FPR %.5f, "
                            + "F1 %.4f; training q%s: F1 %.4f; best threshold F1 %.4f (looks at labels); train %.0f s, score %.0f s%n",
                    r + 1, s, run.rocAuc(), run.prAuc(), run.topGValue(), run.topG().recall(), run.topG().falsePositiveRate(),
                    run.topG().f1(), trainQuantile, run.quantile().f1(), run.best().f1(), run.trainSeconds(), run.scoreSeconds());
            err.flush();
        }
        ObjectNode o = ModelFile.json().createObjectNode();
        o.put("train_sessions", trainSet.size());
        o.put("test_sessions", devSet.size());
        o.put("projected_to", normal + " normal : " + abnormal + " abnormal");
        o.put("runs", runs);
        ObjectNode params = o.putObject("lstm_params");
        p.forEach(params::put);
        params.put("epochs", epochs == 0 ? "default" : "" + epochs);
        ObjectNode ours = o.putObject("seqwatch");
        ours.put("backend", LstmBackend.describe());
        ours.put("roc_auc", round(median(rs, Run::rocAuc), 4));
        ours.put("pr_auc", round(median(rs, Run::prAuc), 4));
        putProjected(ours.putObject("any_step_outside_top_g"), rs, Run::topG).put("g", rs.get(0).topGValue());
        putProjected(ours.putObject("above_training_quantile"), rs, Run::quantile).put("quantile", trainQuantile);
        putProjected(ours.putObject("best_threshold_looks_at_labels"), rs, Run::best);
        ours.put("train_s", round(median(rs, Run::trainSeconds), 1));
        ours.put("score_s", round(median(rs, Run::scoreSeconds), 1));
        ArrayNode all = ours.putArray("per_run");
        for (Run r : rs) {
            ObjectNode n = all.addObject();
            n.put("seed", r.seed());
            n.put("roc_auc", round(r.rocAuc(), 4));
            n.put("pr_auc", round(r.prAuc(), 4));
            n.put("top_g_f1", round(r.topG().f1(), 4));
            n.put("top_g_recall", round(r.topG().recall(), 4));
            n.put("top_g_fpr", round(r.topG().falsePositiveRate(), 5));
            n.put("quantile_f1", round(r.quantile().f1(), 4));
            n.put("best_f1", round(r.best().f1(), 4));
        }
        if (sweep) {
            ArrayNode gs = ours.putArray("sweep_any_step_outside_top_g");
            for (int g : rs.get(0).gSweep().keySet()) {
                ObjectNode n = gs.addObject();
                n.put("g", g);
                putProjected(n, rs, r -> r.gSweep().get(g));
            }
            ObjectNode ag = ours.putObject("sweep_aggregates");
            for (String name : rs.get(0).aggregates().keySet()) {
                ObjectNode n = ag.putObject(name);
                String[] keys = {"roc_auc", "pr_auc", "f1_projected_above_training_quantile", "best_f1_projected_looks_at_labels"};
                for (int k = 0; k < keys.length; k++) {
                    int kk = k;
                    n.put(keys[k], round(median(rs, r -> r.aggregates().get(name)[kk]), 4));
                }
            }
        }
        if (peer != null) {
            err.println("seqwatch: running the peer " + peer + " (" + peerEpochs + " epochs)");
            err.flush();
            ArrayNode pa = o.putArray("peer");
            for (ObjectNode n : runPeer()) {
                pa.add(n);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? o.toString() : o.toPrettyString());
        out.flush();
        return 0;
    }

    private Run runOnce(SequenceSet trainSet, SequenceSet devSet, LabelSet labelSet, Map<String, String> p, long s,
                        ProjectedRatio ratio) {
        try (CliProgress progress = new CliProgress(quiet)) {
            LstmDetector d = new LstmDetector();
            long t0 = System.nanoTime();
            d.fit(trainSet, new FitOptions(epochs, s, false, LabelSet.empty(), p), progress);
            double trainS = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            Scores sd = d.score(devSet, progress);
            double scoreS = (System.nanoTime() - t0) / 1e9;
            Scores st = d.score(trainSet, progress);
            progress.done();
            Run r = figures(sd, st, labelSet, d.topG(), trainQuantile, ratio, s, trainS, scoreS);
            return sweep ? withSweep(r, d, sd, st, labelSet, ratio) : r;
        }
    }

    /** The figures of one run from the test and training scores; no threshold here looks at the test labels but "best". */
    static Run figures(Scores test, Scores training, LabelSet labelSet, int g, double quantile, ProjectedRatio ratio,
                       long seed, double trainS, double scoreS) {
        LabelledScores ls = LabelledScores.of(test, labelSet);
        ThresholdCurve c = ls.curve();
        // DeepLog's criterion: a session with any step outside the top g is anomalous
        List<UserScores> flagged = new ArrayList<>(test.users().size());
        for (UserScores u : test.users()) {
            flagged.add(new UserScores(u.userId(), u.firstOutsideTop(g) >= 0 ? 1 : 0, null, null));
        }
        ThresholdCurve any = LabelledScores.of(new Scores("top-g", List.of(), 0, flagged), labelSet).curve();
        ProjectedRatio.Projected topG = ratio.at(any.at(1.0));
        double t = quantileOf(training.users().stream().mapToDouble(UserScores::score).toArray(), quantile);
        ProjectedRatio.Projected q = ratio.at(c.at(Math.nextUp(t)));
        return new Run(seed, c.rocAuc(), c.averagePrecision(), topG, q, ratio.best(c), g, trainS, scoreS);
    }

    private Run withSweep(Run r, LstmDetector d, Scores test, Scores training, LabelSet labelSet, ProjectedRatio ratio) {
        // the worst rank of a session's steps: "any step outside the top g" is "worst rank > g", every g from one curve
        List<UserScores> worst = new ArrayList<>(test.users().size());
        for (UserScores u : test.users()) {
            worst.add(new UserScores(u.userId(), u.ranks() == null ? 0 : Arrays.stream(u.ranks()).max().orElse(0), null, null));
        }
        ThresholdCurve wc = LabelledScores.of(new Scores("worst-rank", List.of(), 0, worst), labelSet).curve();
        Map<Integer, ProjectedRatio.Projected> gs = new java.util.TreeMap<>();
        for (int g = 1; g <= 20; g++) {
            gs.put(g, ratio.at(wc.at(g + 1)));
        }
        Map<String, double[]> ag = new LinkedHashMap<>();
        for (String name : LstmDetector.aggregateNames()) {
            List<UserScores> us = new ArrayList<>(test.users().size());
            for (UserScores u : test.users()) {
                us.add(new UserScores(u.userId(), d.aggregate(name, u), null, null));
            }
            ThresholdCurve c = LabelledScores.of(new Scores(name, List.of(), 0, us), labelSet).curve();
            double t = quantileOf(training.users().stream().mapToDouble(u -> d.aggregate(name, u)).toArray(), trainQuantile);
            ag.put(name, new double[]{c.rocAuc(), c.averagePrecision(), ratio.at(c.at(Math.nextUp(t))).f1(), ratio.best(c).f1()});
        }
        return new Run(r.seed(), r.rocAuc(), r.prAuc(), r.topG(), r.quantile(), r.best(), r.topGValue(), r.trainSeconds(),
                r.scoreSeconds(), gs, ag);
    }

    /** The nearest-rank quantile (q = 1: the largest value). */
    static double quantileOf(double[] v, double q) {
        double[] s = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        if (s.length == 0) {
            return Double.POSITIVE_INFINITY;
        }
        int k = (int) Math.ceil(q * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, k))];
    }

    private SequenceSet importAndLoad(Path csv, Path dbBase) {
        try (Workspace ws = Workspace.open(dbBase); CliProgress pr = new CliProgress(quiet)) {
            new EventImporter(ws).importFile(csv, ImportOptions.defaults(), pr);
            pr.done();
            return ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
        }
    }

    private List<ObjectNode> runPeer() throws Exception {
        Process pr = new ProcessBuilder(python, peer.toString(), train.toString(), dev.toString(), labels.toString(),
                "" + peerEpochs).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<ObjectNode> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(pr.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("{")) {
                    out.add((ObjectNode) ModelFile.json().readTree(line));
                }
            }
        }
        if (pr.waitFor() != 0 || out.isEmpty()) {
            throw new UserFacingException("the peer " + peer + " failed (exit " + pr.exitValue() + ")");
        }
        return out;
    }

    private static ObjectNode putProjected(ObjectNode n, List<Run> rs, java.util.function.Function<Run, ProjectedRatio.Projected> f) {
        n.put("recall", round(median(rs, r -> f.apply(r).recall()), 4));
        n.put("fpr", round(median(rs, r -> f.apply(r).falsePositiveRate()), 5));
        n.put("precision_projected", round(median(rs, r -> f.apply(r).precision()), 4));
        n.put("f1_projected", round(median(rs, r -> f.apply(r).f1()), 4));
        ArrayNode a = n.putArray("f1_projected_per_run");
        rs.forEach(r -> a.add(round(f.apply(r).f1(), 4)));
        return n;
    }

    private static double median(List<Run> rs, ToDoubleFunction<Run> f) {
        return LstmBenchmark.median(rs.stream().mapToDouble(f).toArray());
    }

    private static double round(double v, int digits) {
        double s = Math.pow(10, digits);
        return Math.round(v * s) / s;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path f : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
