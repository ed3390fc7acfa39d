package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.common.Label;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.evaluate.Evaluation;
import dev.seqwatch.evaluate.LabelFile;
import dev.seqwatch.ingest.EventImporter;
import dev.seqwatch.ingest.ImportOptions;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;
import dev.seqwatch.workflow.LabelNext;
import dev.seqwatch.workflow.ModelService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code seqwatch bench fewlabels}: how well a detector learns from a few analyst labels, measured the
 * way an analyst would meet it. For each {@code --data} folder (written by {@code seqwatch generate}:
 * {@code events.csv}, {@code truth.csv}) the events are imported into a temporary workspace; then, for
 * each label seed, a stratified random draw of {@code --fraud} fraud and {@code --normal} normal users
 * from {@code truth.csv} is appended to the label history (a fresh copy of the workspace per seed),
 * {@code train} runs exactly as {@code seqwatch train} does (through {@link ModelService}), and the
 * trained model is evaluated on every <em>other</em> user against {@code truth.csv}: never on a user it
 * saw labelled. Prints PR-AUC (average precision) and ROC-AUC per run and their medians.
 *
 * <p>With {@code --curve 0,20,50,...} it draws the learning curve instead: starting from no labels, a
 * simulated analyst labels (from {@code truth.csv}) the users the queue offers next, in batches of at
 * most {@code --batch}, and the model is retrained after each batch; at each curve point the model is
 * evaluated on the users not labelled so far. Queue orders ({@code --orders}): {@code top} (most
 * anomalous first), {@code label-next} ({@link LabelNext}) and {@code random}.
 */
@Command(name = "fewlabels", mixinStandardHelpOptions = true,
        description = "PR-AUC / ROC-AUC of a detector trained with a few labels, evaluated on the users it did not see "
                + "labelled (medians over label seeds); --curve: learning curve by queue order with a simulated analyst.")
public final class BenchFewLabelsCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "folder with events.csv and truth.csv from seqwatch generate (repeatable)")
    List<Path> data;

    @Option(names = "--detector", description = "detector (default: the one seqwatch train uses)")
    String detector;

    @Option(names = "--param", description = "detector parameter KEY=VALUE (repeatable)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--fraud", defaultValue = "5", description = "labelled fraud users per draw (default ${DEFAULT-VALUE})")
    int fraud;

    @Option(names = "--normal", defaultValue = "95", description = "labelled normal users per draw (default ${DEFAULT-VALUE})")
    int normal;

    @Option(names = "--label-seeds", split = ",", defaultValue = "1,2,3",
            description = "seeds of the label draws (curve: of the training) (default ${DEFAULT-VALUE})")
    List<Long> labelSeeds;

    @Option(names = "--seed", defaultValue = "42", description = "training seed for the draws (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--curve", split = ",", description = "labels at each point of a learning curve, e.g. 0,20,50,100,200,500")
    List<Integer> curve;

    @Option(names = "--orders", split = ",", defaultValue = "top,label-next",
            description = "queue orders for --curve: top, label-next, random (default ${DEFAULT-VALUE})")
    List<String> orders;

    @Option(names = "--batch", defaultValue = "50", description = "--curve: most labels added between retrains (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DetectorRegistry registry = DetectorRegistry.standard();
        String name = detector != null ? detector : DetectorNames.defaultDetector(registry);
        registry.create(name);
        registry.checkParams(name, params);
        if (fraud < 0 || normal < 0 || fraud + normal == 0 && curve == null) {
            throw new UserFacingException("--fraud and --normal must be >= 0 and not both 0");
        }
        if (batch < 1) {
            throw new UserFacingException("--batch must be >= 1, was " + batch);
        }
        if (curve != null) {
            for (int i = 0; i < curve.size(); i++) {
                if (curve.get(i) < 0 || i > 0 && curve.get(i) <= curve.get(i - 1)) {
                    throw new UserFacingException("--curve must be increasing label counts >= 0, was " + curve);
                }
            }
            for (String o : orders) {
                if (!List.of("top", "label-next", "random").contains(o)) {
                    throw new UserFacingException("--orders: unknown order '" + o + "'; choose top, label-next or random");
                }
            }
        }
        for (Path d : data) {
            for (String f : List.of("events.csv", "truth.csv")) {
                if (!Files.isRegularFile(d.resolve(f))) {
                    throw new UserFacingException(d + ": no " + f + " (write the folder with seqwatch generate --out " + d + ")");
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("detector", name);
        result.put("params", params);
        List<Map<String, Object>> runs = new ArrayList<>();
        Path tmp = Files.createTempDirectory("seqwatch-fewlabels-");
        try (ConsoleProgress p = new ConsoleProgress(err)) {
            for (Path d : data) {
                LabelSet truth = LabelFile.read(d.resolve("truth.csv"));
                Path base = tmp.resolve("base");
                try (Workspace ws = Workspace.open(base)) {
                    new EventImporter(ws).importFile(d.resolve("events.csv"), ImportOptions.defaults(), ProgressListener.NONE);
                }
                Path baseFile = Workspace.fileOf(base);
                for (long ls : labelSeeds) {
                    Path run = tmp.resolve("run");
                    Files.copy(baseFile, Workspace.fileOf(run), StandardCopyOption.REPLACE_EXISTING);
                    try (Workspace ws = Workspace.openExisting(run)) {
                        if (curve == null) {
                            Map<String, Object> r = drawRun(ws, registry, name, truth, ls, p);
                            r.put("data", d.toString());
                            runs.add(r);
                            if (!json) {
                                out.printf("%s label seed %d: %d labelled (%d fraud), evaluated on %d (%d fraud): PR-AUC %.4f, ROC-AUC %.4f, fit %.1f s%n",
                                        d, ls, r.get("labelled"), r.get("labelled_fraud"), r.get("evaluated"), r.get("evaluated_fraud"),
                                        (double) r.get("pr_auc"), (double) r.get("roc_auc"), (long) r.get("fit_ms") / 1000.0);
                                out.flush();
                            }
                        }
                    }
                    if (curve != null) {
                        for (String order : orders) {
                            Files.copy(baseFile, Workspace.fileOf(run), StandardCopyOption.REPLACE_EXISTING);
                            try (Workspace ws = Workspace.openExisting(run)) {
                                List<Map<String, Object>> pts = curveRun(ws, registry, name, truth, ls, order, p);
                                for (Map<String, Object> r : pts) {
                                    r.put("data", d.toString());
                                    runs.add(r);
                                    if (!json) {
                                        out.printf("%s seed %d %-10s %4d labelled (%3d fraud): PR-AUC %.4f, ROC-AUC %.4f%n", d, ls, order,
                                                r.get("labelled"), r.get("labelled_fraud"), (double) r.get("pr_auc"), (double) r.get("roc_auc"));
                                        out.flush();
                                    }
                                }
                            }
                        }
                    }
                    Files.deleteIfExists(Workspace.fileOf(run));
                }
                Files.deleteIfExists(baseFile);
            }
        } finally {
            deleteTree(tmp);
        }
        result.put("runs", runs);
        List<Map<String, Object>> medians = medians(runs);
        result.put("medians", medians);
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            out.println("medians (" + name + (params.isEmpty() ? "" : " " + params) + "):");
            for (Map<String, Object> m : medians) {
                out.printf("  %-22s %s: PR-AUC %.4f, ROC-AUC %.4f over %d runs (PR-AUC per run %s)%n", m.get("data"),
                        m.get("point"), (double) m.get("pr_auc"), (double) m.get("roc_auc"), m.get("runs"), m.get("pr_auc_runs"));
            }
        }
        out.flush();
        return 0;
    }

    /** One stratified random draw, train, evaluate on the others. */
    private Map<String, Object> drawRun(Workspace ws, DetectorRegistry registry, String name, LabelSet truth, long labelSeed,
                                        ProgressListener p) {
        SequenceSet all = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
        List<String> fraudIds = new ArrayList<>();
        List<String> normalIds = new ArrayList<>();
        for (var u : all.users()) {
            Boolean f = truth.isFraud(u.userId());
            if (f != null) {
                (f ? fraudIds : normalIds).add(u.userId());
            }
        }
        if (fraudIds.size() <= fraud || normalIds.size() <= normal) {
            throw new UserFacingException("the data has " + fraudIds.size() + " fraud and " + normalIds.size()
                    + " normal users with events: too few for --fraud " + fraud + " --normal " + normal + " and users left to evaluate");
        }
        SplittableRandom r = new SplittableRandom(labelSeed);
        List<String> chosen = new ArrayList<>(pick(fraudIds, fraud, r));
        chosen.addAll(pick(normalIds, normal, r));
        appendTruth(ws, truth, chosen);
        long t0 = System.nanoTime();
        ModelService.TrainResult tr = new ModelService(ws, registry).train(
                new ModelService.TrainRequest(name, 0, seed, false, params, true), null, p);
        long fitMs = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Object> m = evaluateOthers(tr, all, truth, new HashSet<>(chosen), p);
        m.put("label_seed", labelSeed);
        m.put("point", fraud + " fraud + " + normal + " normal");
        m.put("fit_ms", fitMs);
        return m;
    }

    /** The learning curve from no labels, one queue order. */
    private List<Map<String, Object>> curveRun(Workspace ws, DetectorRegistry registry, String name, LabelSet truth, long runSeed,
                                               String order, ProgressListener p) {
        SequenceSet all = ws.read(c -> new EventDao().loadAll(c, ProgressListener.NONE));
        ModelService svc = new ModelService(ws, registry);
        Set<String> labelled = new HashSet<>();
        SplittableRandom rnd = new SplittableRandom(runSeed);
        List<Map<String, Object>> out = new ArrayList<>();
        int target = curve.get(curve.size() - 1);
        int nextPoint = 0;
        while (true) {
            ModelService.TrainResult tr = svc.train(new ModelService.TrainRequest(name, 0, runSeed, false, params, true), null, p);
            Scores s = tr.detector().score(all, ProgressListener.NONE);
            if (labelled.size() == curve.get(nextPoint)) {
                Map<String, Object> m = evaluateOthers(tr, all, truth, labelled, p);
                m.put("label_seed", runSeed);
                m.put("order", order);
                m.put("point", order + " " + labelled.size());
                out.add(m);
                nextPoint++;
            }
            if (labelled.size() >= target || nextPoint >= curve.size()) {
                break;
            }
            int want = Math.min(batch, curve.get(nextPoint) - labelled.size());
            LabelSet current = ws.read(new LabelDao()::current);
            List<String> next = nextUsers(order, all, s, current, tr, want, rnd, truth);
            if (next.isEmpty()) {
                break;
            }
            appendTruth(ws, truth, next);
            labelled.addAll(next);
        }
        return out;
    }

    private static List<String> nextUsers(String order, SequenceSet all, Scores s, LabelSet current, ModelService.TrainResult tr,
                                          int want, SplittableRandom rnd, LabelSet truth) {
        List<String> cand = new ArrayList<>();
        for (var u : all.users()) {
            if (!current.isLabelled(u.userId()) && truth.isLabelled(u.userId()) && s.user(u.userId()) != null) {
                cand.add(u.userId());
            }
        }
        switch (order) {
            case "random":
                return pick(cand, Math.min(want, cand.size()), rnd);
            case "top":
                cand.sort(Comparator.comparingDouble((String id) -> -s.user(id).score()).thenComparing(id -> id));
                return cand.subList(0, Math.min(want, cand.size()));
            default:
                double t = tr.evaluation() != null ? tr.evaluation().bestF1Threshold() : tr.detector().unsupervisedThreshold();
                List<String> outIds = new ArrayList<>();
                for (LabelNext.Pick pk : LabelNext.order(all, s, current, t, want)) {
                    if (truth.isLabelled(pk.userId())) {
                        outIds.add(pk.userId());
                    }
                    if (outIds.size() == want) {
                        break;
                    }
                }
                return outIds;
        }
    }

    private static Map<String, Object> evaluateOthers(ModelService.TrainResult tr, SequenceSet all, LabelSet truth, Set<String> labelled,
                                                      ProgressListener p) {
        List<Label> rest = new ArrayList<>();
        for (Label l : truth.all()) {
            if (!labelled.contains(l.userId())) {
                rest.add(l);
            }
        }
        LabelSet eval = new LabelSet(rest);
        Scores s = tr.detector().score(all.filter(u -> eval.isLabelled(u.userId())), p);
        Evaluation e = Evaluation.of(s, eval, Double.NaN);
        int lf = 0;
        for (String id : labelled) {
            if (Boolean.TRUE.equals(truth.isFraud(id))) {
                lf++;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("labelled", labelled.size());
        m.put("labelled_fraud", lf);
        m.put("evaluated", e.nUsers());
        m.put("evaluated_fraud", e.nFraud());
        m.put("pr_auc", e.prAuc());
        m.put("roc_auc", e.rocAuc());
        m.put("combination", tr.report().details().get("combination"));
        return m;
    }

    private static void appendTruth(Workspace ws, LabelSet truth, List<String> ids) {
        List<LabelDao.NewLabel> add = new ArrayList<>();
        for (String id : ids) {
            Label t = truth.get(id);
            add.add(new LabelDao.NewLabel(id, t.fraud(), t.fraudType(), null, "simulated-analyst"));
        }
        ws.write(c -> new LabelDao().append(c, add));
    }

    private static List<String> pick(List<String> ids, int k, SplittableRandom r) {
        List<String> a = new ArrayList<>(ids);
        a.sort(null);
        for (int i = 0; i < k; i++) {
            int j = i + r.nextInt(a.size() - i);
            String t = a.get(i);
            a.set(i, a.get(j));
            a.set(j, t);
        }
        return new ArrayList<>(a.subList(0, k));
    }

    private static List<Map<String, Object>> medians(List<Map<String, Object>> runs) {
        Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> r : runs) {
            groups.computeIfAbsent(r.get("data") + "\u0000" + r.get("point"), k -> new ArrayList<>()).add(r);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Map<String, Object>> g : groups.values()) {
            double[] pr = g.stream().mapToDouble(r -> (double) r.get("pr_auc")).toArray();
            double[] roc = g.stream().mapToDouble(r -> (double) r.get("roc_auc")).toArray();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("data", g.get(0).get("data"));
            m.put("point", g.get(0).get("point"));
            m.put("runs", g.size());
            m.put("pr_auc", median(pr));
            m.put("roc_auc", median(roc));
            m.put("pr_auc_runs", Arrays.stream(pr).mapToObj(v -> String.format("%.3f", v)).toList());
            out.add(m);
        }
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path f : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
