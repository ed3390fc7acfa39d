package dev.seqwatch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.lstm.LstmBackend;
import dev.seqwatch.detect.lstm.LstmBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code seqwatch bench lstm}: training and scoring throughput of the LSTM engine on the same work as the
 * PyTorch peer; with {@code --peer} the peer runs alternately with ours in the same process run, and the
 * ratio of medians is printed.
 */
@Command(name = "lstm", mixinStandardHelpOptions = true,
        description = "LSTM train/score throughput (steps/s) on a CSV with header user_id,timestamp,action.")
public final class LstmBenchCommand implements Callable<Integer> {
    @Option(names = "--events", required = true, description = "CSV with a header (user, time, action columns)")
    Path events;
    @Option(names = "--user-col", defaultValue = "user_id")
    String userCol;
    @Option(names = "--time-col", defaultValue = "timestamp")
    String timeCol;
    @Option(names = "--action-col", defaultValue = "action")
    String actionCol;
    @Option(names = "--hidden", defaultValue = "64")
    int hidden;
    @Option(names = "--layers", defaultValue = "2")
    int layers;
    @Option(names = "--embed", defaultValue = "32")
    int embed;
    @Option(names = "--epochs", defaultValue = "1")
    int epochs;
    @Option(names = "--batch", defaultValue = "256")
    int batch;
    @Option(names = "--max-len", defaultValue = "200")
    int maxLen;
    @Option(names = "--seed", defaultValue = "1")
    long seed;
    @Option(names = "--runs", defaultValue = "1", description = "repeat and report medians")
    int runs;
    @Option(names = "--warmup", defaultValue = "1", description = "batches run on a throwaway network first")
    int warmup;
    @Option(names = "--peer", description = "path of torch_lstm_peer.py: run it alternately with ours, report ratios")
    Path peer;
    @Option(names = "--peer-threads", defaultValue = "2", description = "torch threads for the peer (2 = both cores)")
    int peerThreads;
    @Option(names = "--python", defaultValue = "/usr/bin/python3")
    String python;
    @Option(names = "--incremental", description = "also measure scoring new events with carried state vs full rescoring")
    boolean incremental;
    @Option(names = "--engine", defaultValue = "auto", split = ",",
            description = "auto (what train/score use here), java (Java kernels), nd4j (libnd4j lstmLayer ops) or mln "
                    + "(plain DL4J MultiLayerNetwork baseline); several, comma-separated, run alternately in each round")
    List<String> engines;
    @Option(names = "--json", description = "one JSON object on stdout")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(events)) {
            throw new UserFacingException(events + ": no such events file");
        }
        System.err.println("seqwatch: train/score use " + LstmBackend.describe());
        LstmBenchmark.Data d = LstmBenchmark.load(events, userCol, timeCol, actionCol, maxLen);
        LstmBenchmark.Config c = new LstmBenchmark.Config(hidden, layers, embed, epochs, batch, maxLen, seed, warmup);
        List<String> names = new ArrayList<>();
        for (String e : engines) {
            String n = "auto".equals(e) ? LstmBackend.engine() : e;
            if (!List.of("java", "nd4j", "mln").contains(n)) {
                throw new UserFacingException("--engine " + e + ": use auto, java, nd4j or mln");
            }
            names.add(n);
        }
        List<List<LstmBenchmark.Result>> results = new ArrayList<>();
        names.forEach(n -> results.add(new ArrayList<>()));
        List<ObjectNode> peers = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            for (int k = 0; k < names.size(); k++) {
                String n = names.get(k);
                LstmBenchmark.Result res = "mln".equals(n) ? LstmBenchmark.runMultiLayerNetwork(d, c) : LstmBenchmark.run(d, c, n);
                results.get(k).add(res);
                System.err.printf("seqwatch: run %d, %s: train %.0f steps/s, score %.0f steps/s, mean nll %.4f%n", r + 1,
                        n, res.trainStepsPerSecond(epochs), res.scoreStepsPerSecond(), res.meanNll());
            }
            if (peer != null) {
                ObjectNode p = runPeer();
                peers.add(p);
                System.err.println("seqwatch: peer run " + (r + 1) + ": " + p);
            }
        }
        List<LstmBenchmark.Result> ours = results.get(0);
        ObjectNode o = ModelFile.json().createObjectNode();
        o.put("engine", engineName(names.get(0), d, c));
        o.put("threads", "java".equals(names.get(0)) ? LstmBackend.threads() : org.nd4j.linalg.factory.Nd4j.getEnvironment().maxMasterThreads());
        o.put("sequences", d.windows().size());
        o.put("vocab", d.vocab());
        o.put("steps", d.steps());
        o.put("runs", runs);
        double ptr = Double.NaN;
        double psc = Double.NaN;
        if (!peers.isEmpty()) {
            ptr = LstmBenchmark.median(peers.stream().mapToDouble(p -> p.path("train_steps_per_s").asDouble()).toArray());
            psc = LstmBenchmark.median(peers.stream().mapToDouble(p -> p.path("score_steps_per_s").asDouble()).toArray());
        }
        putFigures(o, ours, ptr, psc);
        if (!peers.isEmpty()) {
            ObjectNode po = o.putObject("peer");
            po.put("engine", peers.get(0).path("engine").asText());
            po.put("train_steps_per_s", Math.round(ptr));
            po.put("score_steps_per_s", Math.round(psc));
            po.put("mean_nll", peers.get(0).path("mean_nll").asDouble());
            ArrayNode pa = po.putArray("train_steps_per_s_all");
            peers.forEach(p -> pa.add(p.path("train_steps_per_s").asLong()));
            ArrayNode ps = po.putArray("score_steps_per_s_all");
            peers.forEach(p -> ps.add(p.path("score_steps_per_s").asLong()));
        }
        if (names.size() > 1) {
            ArrayNode others = o.putArray("other_engines");
            for (int k = 1; k < names.size(); k++) {
                ObjectNode e = others.addObject();
                e.put("engine", engineName(names.get(k), d, c));
                putFigures(e, results.get(k), ptr, psc);
            }
        }
        if (incremental) {
            ArrayNode inc = o.putArray("incremental");
            for (LstmBenchmark.Incremental i : LstmBenchmark.incremental(d, c, new int[]{200, 2000, 20000},
                    new int[]{1, 10, 100}, 5)) {
                ObjectNode n = inc.addObject();
                n.put("history_steps", i.historySteps());
                n.put("new_steps", i.newSteps());
                n.put("full_rescore_ms", Math.round(i.fullMillis() * 100) / 100.0);
                n.put("incremental_ms", Math.round(i.incrementalMillis() * 100) / 100.0);
            }
        }
        System.out.println(json ? o.toString() : o.toPrettyString());
        return 0;
    }

    /** Medians and all runs of one engine, and its ratios to the peer's medians (when the peer ran). */
    private void putFigures(ObjectNode o, List<LstmBenchmark.Result> rs, double peerTrain, double peerScore) {
        double tr = LstmBenchmark.median(rs.stream().mapToDouble(x -> x.trainStepsPerSecond(epochs)).toArray());
        double sc = LstmBenchmark.median(rs.stream().mapToDouble(LstmBenchmark.Result::scoreStepsPerSecond).toArray());
        o.put("train_steps_per_s", Math.round(tr));
        o.put("score_steps_per_s", Math.round(sc));
        o.put("mean_nll", Math.round(rs.get(rs.size() / 2).meanNll() * 1e4) / 1e4);
        ArrayNode all = o.putArray("train_steps_per_s_all");
        rs.forEach(x -> all.add(Math.round(x.trainStepsPerSecond(epochs))));
        ArrayNode alls = o.putArray("score_steps_per_s_all");
        rs.forEach(x -> alls.add(Math.round(x.scoreStepsPerSecond())));
        if (!Double.isNaN(peerTrain)) {
            o.put("train_ratio", Math.round(tr / peerTrain * 100) / 100.0);
            o.put("score_ratio", Math.round(sc / peerScore * 100) / 100.0);
        }
    }

    private static String engineName(String n, LstmBenchmark.Data d, LstmBenchmark.Config c) {
        return switch (n) {
            case "mln" -> "seqwatch-dl4j-multilayernetwork";
            case "nd4j" -> "seqwatch-nd4j-lstmLayer (" + LstmBackend.describeNd4j() + ")";
            default -> "seqwatch-" + LstmBenchmark.describe(n, d, c).replace(' ', '-').replace(",", "");
        };
    }

    private ObjectNode runPeer() throws Exception {
        Process p = new ProcessBuilder(python, peer.toString(), "--events", events.toString(),
                "--user-col", userCol, "--time-col", timeCol, "--action-col", actionCol,
                "--hidden", "" + hidden, "--layers", "" + layers, "--embed", "" + embed, "--epochs", "" + epochs,
                "--batch", "" + batch, "--max-len", "" + maxLen, "--threads", "" + peerThreads,
                "--seed", "" + seed).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().reduce("", (a, b) -> b.isBlank() ? a : b);
        }
        if (p.waitFor() != 0 || out.isBlank()) {
            throw new UserFacingException("the peer " + peer + " failed (exit " + p.exitValue() + ")");
        }
        return (ObjectNode) ModelFile.json().readTree(out);
    }
}
