package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqwatch.common.LabelSet;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.DetectorRegistry;
import dev.seqwatch.evaluate.DetectorComparison;
import dev.seqwatch.evaluate.Evaluation;
import dev.seqwatch.evaluate.LabelFile;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.store.EventDao;
import dev.seqwatch.store.LabelDao;
import dev.seqwatch.store.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code seqwatch compare}: every detector side by side on labelled users. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare detectors on labelled users: ROC-AUC, PR-AUC (average precision), precision@k "
                + "(k = labelled fraud), best F1 and its threshold, times, recall per fraud type; unsupervised and "
                + "with labels, plus rank-average and stacked ensembles.")
public final class CompareCommand implements Callable<Integer> {
    @Option(names = "--db", required = true, description = "workspace file")
    Path db;

    @Option(names = "--labels", description = "answer key user_id,label[,fraud_type[,note]] to evaluate on (default: the workspace's labels). "
            + "The 'labels' round learns from the workspace's labels when it has fraud labels, else from this file (stacking then uses cross-validation)")
    Path labelsFile;

    @Option(names = "--detectors", split = ",", description = "detectors to compare (default: all registered but the trainable ensemble)")
    List<String> detectors;

    @Option(names = "--mode", defaultValue = "both", description = "unsupervised, labels or both (default)")
    String mode;

    @Option(names = "--epochs", defaultValue = "0", description = "epochs for detectors that train in epochs (0 = their default)")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", description = "random seed")
    long seed;

    @Option(names = "--param", description = "detector parameter DETECTOR.KEY=VALUE (repeatable), e.g. --param lof.k=100")
    Map<String, String> params = new java.util.LinkedHashMap<>();

    @Option(names = "--split", defaultValue = "time", description = "time (default): train on the earlier part of the log (events before "
            + "the first event of the user at --train-share), evaluate on the users who first appear after it; random: a seeded random "
            + "share of users trains, the others are evaluated; none: train and evaluate on every user (in-sample, warned)")
    String split;

    @Option(names = "--train-share", defaultValue = "0.5", description = "share of users on the training side of the split (default ${DEFAULT-VALUE})")
    double trainShare;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Option(names = "--by-pattern", description = "per fraud type ROC-AUC and PR-AUC of every row (that type's users against all "
            + "normal users): two more tables, or 'by_pattern' in every row of --json")
    boolean byPattern;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        DetectorRegistry registry = DetectorRegistry.standard();
        List<String> names = detectors == null || detectors.isEmpty() ? DetectorComparison.defaultDetectors(registry) : detectors;
        List<String> modes = switch (mode) {
            case "both" -> List.of(DetectorComparison.UNSUPERVISED, DetectorComparison.LABELS);
            case "unsupervised" -> List.of(DetectorComparison.UNSUPERVISED);
            case "labels" -> List.of(DetectorComparison.LABELS);
            default -> throw new UserFacingException("--mode must be unsupervised, labels or both, was '" + mode + "'");
        };
        // bad --split / --train-share fail before the workspace is opened
        new DetectorComparison.Options(names, modes, epochs, seed, Map.of(), 5, split, trainShare);
        LabelSet fileLabels = labelsFile == null ? null : LabelFile.read(labelsFile);
        DetectorComparison.Report report;
        try (ConsoleProgress p = new ConsoleProgress(err); Workspace ws = Workspace.openExisting(db)) {
            SequenceSet all = ws.read(c -> new EventDao().loadAll(c, p));
            LabelSet stored = ws.read(new LabelDao()::current);
            LabelSet labels = fileLabels != null ? fileLabels : stored;
            LabelSet training = stored.fraudUsers().isEmpty() ? labels : stored;
            err.println("comparing " + String.join(", ", names) + " on " + all.size() + " users; evaluating on "
                    + (fileLabels != null ? labelsFile : "the workspace's labels") + " (" + labels.size() + " users); the labels round learns from "
                    + (training == stored ? "the workspace's labels (" + stored.size() + " users)" : "the same labels"));
            report = new DetectorComparison(registry).run(all, labels, training,
                    new DetectorComparison.Options(names, modes, epochs, seed, perDetector(params), 5, split, trainShare), p);
        }
        for (String w : report.warnings()) {
            err.println("seqwatch: warning: " + w);
        }
        err.flush();
        if (json) {
            Map<String, Object> m = DetectorComparison.toMap(report);
            if (byPattern) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> rows = (List<Map<String, Object>>) m.get("rows");
                for (int i = 0; i < rows.size(); i++) {
                    Evaluation e = report.rows().get(i).evaluation();
                    if (e != null) {
                        rows.get(i).put("by_pattern", e.byPatternMap());
                    }
                }
            }
            out.println(new ObjectMapper().writeValueAsString(m));
        } else {
            printTable(out, report);
            if (byPattern) {
                printByPattern(out, report);
            }
        }
        out.flush();
        return 0;
    }

    static Map<String, Map<String, String>> perDetector(Map<String, String> flat) {
        Map<String, Map<String, String>> out = new java.util.HashMap<>();
        flat.forEach((k, v) -> {
            int dot = k.indexOf('.');
            if (dot <= 0 || dot == k.length() - 1) {
                throw new UserFacingException("--param " + k + "=" + v + ": expected DETECTOR.KEY=VALUE, e.g. lof.k=100");
            }
            out.computeIfAbsent(k.substring(0, dot), x -> new java.util.HashMap<>()).put(k.substring(dot + 1), v);
        });
        return out;
    }

    static void printTable(PrintWriter out, DetectorComparison.Report r) {
        TreeSet<String> types = new TreeSet<>();
        for (DetectorComparison.Row row : r.rows()) {
            if (row.evaluation() != null) {
                types.addAll(row.evaluation().perFraudType().keySet());
            }
        }
        String how = switch (r.split()) {
            case DetectorComparison.SPLIT_TIME -> "trained on " + r.trainUsers() + " users' events before "
                    + java.time.Instant.ofEpochMilli(r.cut()) + ", evaluated on the users first seen after it: ";
            case DetectorComparison.SPLIT_RANDOM -> "trained on " + r.trainUsers() + " random users, evaluated on the others: ";
            default -> "trained and evaluated on the same users (--split none): ";
        };
        out.printf("%s%d users, %d labelled, %d fraud; PR-AUC = average precision; k = %d; recall per fraud type at the best-F1 threshold%n",
                how, r.nUsers(), r.nLabelled(), r.nFraud(), r.nFraud());
        for (String w : r.warnings()) {
            out.println("warning: " + w);
        }
        StringBuilder head = new StringBuilder(String.format("%-13s %-22s %7s %7s %7s %7s %10s %8s %8s", "mode", "detector",
                "ROC-AUC", "PR-AUC", "P@k", "bestF1", "threshold", "fit s", "score s"));
        List<String> typeList = new ArrayList<>(types);
        for (String t : typeList) {
            head.append(String.format(" %8s", abbreviate(t)));
        }
        out.println(head);
        for (DetectorComparison.Row row : r.rows()) {
            if (row.error() != null) {
                out.printf("%-13s %-22s failed: %s%n", row.mode(), row.detector(), row.error());
                continue;
            }
            Evaluation e = row.evaluation();
            StringBuilder line = new StringBuilder(String.format("%-13s %-22s %7.4f %7.4f %7.4f %7.4f %10.4g %8.2f %8.2f",
                    row.mode(), row.detector(), e.rocAuc(), e.prAuc(), e.precisionAtK(), e.bestF1(), e.bestF1Threshold(),
                    row.fitMillis() / 1000.0, row.scoreMillis() / 1000.0));
            for (String t : typeList) {
                int[] v = e.perFraudType().get(t);
                line.append(v == null || v[1] == 0 ? String.format(" %8s", "-") : String.format(" %8.3f", (double) v[0] / v[1]));
            }
            out.println(line);
        }
        for (DetectorComparison.Gain g : r.gains()) {
            out.printf("%s %s vs best single (%s): PR-AUC %+.4f, ROC-AUC %+.4f%n", g.mode(), g.ensemble(), g.bestSingle(),
                    g.prAucGain(), g.rocAucGain());
        }
    }

    /** Two tables: ROC-AUC and PR-AUC of each row per fraud type, that type's users against all normal users. */
    static void printByPattern(PrintWriter out, DetectorComparison.Report r) {
        TreeSet<String> types = new TreeSet<>();
        Evaluation any = null;
        for (DetectorComparison.Row row : r.rows()) {
            if (row.evaluation() != null) {
                types.addAll(row.evaluation().perFraudType().keySet());
                any = any == null ? row.evaluation() : any;
            }
        }
        if (any == null || types.isEmpty()) {
            out.println("no fraud type to break down");
            return;
        }
        for (boolean roc : new boolean[]{true, false}) {
            out.println();
            out.printf("%s by fraud type (that type's users against the %d normal users)%n",
                    roc ? "ROC-AUC" : "PR-AUC", any.normalUsers());
            StringBuilder head = new StringBuilder(String.format("%-13s %-22s", "mode", "detector"));
            for (String t : types) {
                head.append(String.format(" %9s", abbreviate9(t)));
            }
            out.println(head);
            if (!roc) {
                StringBuilder chance = new StringBuilder(String.format("%-13s %-22s", "", "(chance)"));
                for (String t : types) {
                    chance.append(String.format(" %9.4f", any.chancePrAuc(t)));
                }
                out.println(chance);
            }
            for (DetectorComparison.Row row : r.rows()) {
                Evaluation e = row.evaluation();
                if (e == null) {
                    continue;
                }
                StringBuilder line = new StringBuilder(String.format("%-13s %-22s", row.mode(), row.detector()));
                for (String t : types) {
                    Double v = (roc ? e.rocAucByFraudType() : e.prAucByFraudType()).get(t);
                    line.append(v == null || v.isNaN() ? String.format(" %9s", "-") : String.format(" %9.4f", v));
                }
                out.println(line);
            }
        }
    }

    private static String abbreviate9(String t) {
        return t.length() <= 9 ? t : t.substring(0, 9);
    }

    private static String abbreviate(String t) {
        return t.length() <= 8 ? t : t.substring(0, 8);
    }
}
