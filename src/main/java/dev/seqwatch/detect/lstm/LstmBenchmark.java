package dev.seqwatch.detect.lstm;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import dev.seqwatch.common.UserFacingException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput of the LSTM engine on exactly the work the PyTorch peer ({@code torch_lstm_peer.py}) does:
 * action tokens only, per-user histories cut into consecutive windows of {@code maxLen} tokens, windows
 * sorted by length and batched, embedding -> LSTM x L -> linear, Adam(1e-3), one pass of training and one
 * of scoring (-log p of every next action). Same sequences, same shape, same step count, so the two
 * throughputs compare directly.
 */
public final class LstmBenchmark {

    public record Config(int hidden, int layers, int embed, int epochs, int batch, int maxLen, long seed,
                         int warmupBatches) {
    }

    public record Data(List<int[]> windows, int vocab, long steps) {
    }

    public record Result(long steps, int sequences, int vocab, double trainSeconds, double scoreSeconds,
                         double meanNll) {
        public double trainStepsPerSecond(int epochs) {
            return steps * (double) epochs / trainSeconds;
        }

        public double scoreStepsPerSecond() {
            return steps / scoreSeconds;
        }
    }

    private LstmBenchmark() {
    }

    /** Reads the CSV the way the peer does: group by user, sort each user's (time text, action) pairs, windows. */
    public static Data load(Path csv, String userCol, String timeCol, String actionCol, int maxLen) {
        Map<String, List<String[]>> byUser = new LinkedHashMap<>();
        try (CsvReader<NamedCsvRecord> r = CsvReader.builder().ofNamedCsvRecord(csv)) {
            for (NamedCsvRecord rec : r) {
                String u = field(rec, userCol, csv);
                byUser.computeIfAbsent(u, k -> new ArrayList<>())
                        .add(new String[]{field(rec, timeCol, csv), field(rec, actionCol, csv)});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (de.siegmar.fastcsv.reader.CsvParseException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UserFacingException(csv + ": " + e.getMessage() + ": " + cause.getMessage()
                    + " (bench lstm needs a well-formed CSV with a header; import the log to check it)", e);
        }
        Map<String, Integer> vocab = new HashMap<>();
        List<int[]> out = new ArrayList<>();
        long steps = 0;
        for (List<String[]> ev : byUser.values()) {
            ev.sort((a, b) -> {
                int c = a[0].compareTo(b[0]);
                return c != 0 ? c : a[1].compareTo(b[1]);
            });
            int[] toks = new int[ev.size()];
            for (int i = 0; i < toks.length; i++) {
                toks[i] = vocab.computeIfAbsent(ev.get(i)[1], k -> vocab.size());
            }
            for (int i = 0; i < toks.length; i += maxLen) {
                int[] chunk = Arrays.copyOfRange(toks, i, Math.min(toks.length, i + maxLen));
                if (chunk.length >= 2) {
                    out.add(chunk);
                    steps += chunk.length - 1;
                }
            }
        }
        if (out.isEmpty()) {
            throw new UserFacingException(csv + ": no user has two or more events; nothing to benchmark");
        }
        return new Data(out, vocab.size(), steps);
    }

    private static String field(NamedCsvRecord rec, String col, Path csv) {
        return rec.findField(col).orElseThrow(() -> new UserFacingException(
                csv + ": line " + rec.getStartingLineNumber() + " has no column '" + col + "' (header needed: "
                        + "user_id,timestamp,action or pass the column names)"));
    }

    /** A batch: time-major inputs and targets (-1 = padding), as the peer builds them. */
    record Batch(int[] inputs, int[] targets, int steps, int size) {
    }

    static List<Batch> batches(List<int[]> seqs, int size) {
        Integer[] order = new Integer[seqs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(seqs.get(a).length, seqs.get(b).length)); // stable
        List<Batch> out = new ArrayList<>();
        for (int s = 0; s < order.length; s += size) {
            int b = Math.min(size, order.length - s);
            int t = 0;
            for (int j = 0; j < b; j++) {
                t = Math.max(t, seqs.get(order[s + j]).length);
            }
            int steps = t - 1;
            int[] in = new int[steps * b];
            int[] tg = new int[steps * b];
            Arrays.fill(tg, LstmNet.NO_TARGET);
            for (int j = 0; j < b; j++) {
                int[] g = seqs.get(order[s + j]);
                for (int k = 0; k < g.length - 1; k++) {
                    in[k * b + j] = g[k];
                    tg[k * b + j] = g[k + 1];
                }
            }
            out.add(new Batch(in, tg, steps, b));
        }
        return out;
    }

    /** Our engine as {@link LstmNet#create} picks it (or as {@code -Dseqwatch.lstm.engine} forces). */
    public static Result run(Data d, Config c) {
        return run(d, c, LstmNet.engineName());
    }

    /** Engine "java" (Java kernels) or "nd4j" (libnd4j's fused lstmLayer ops). */
    public static Result run(Data d, Config c, String engine) {
        List<Batch> batches = batches(d.windows(), c.batch());
        if (c.warmupBatches() > 0) { // JIT and native library warm-up on a throwaway network
            LstmNet w = engine(engine, d.vocab(), c);
            w.initialise(c.seed() + 1);
            for (int i = 0; i < Math.min(c.warmupBatches(), batches.size()); i++) {
                Batch b = batches.get(i);
                w.trainBatch(b.inputs(), b.targets(), b.steps(), b.size(), null, null);
                w.forward(b.inputs(), LstmNet.lengthsFromTargets(b.targets(), b.steps(), b.size()), b.steps(), b.size(), null, false);
            }
        }
        LstmNet net = engine(engine, d.vocab(), c);
        net.initialise(c.seed());
        java.util.Arrays.fill(Nd4jLstmNet.PHASE_NANOS, 0);
        long t0 = System.nanoTime();
        for (int e = 0; e < c.epochs(); e++) {
            for (Batch b : batches) {
                net.trainBatch(b.inputs(), b.targets(), b.steps(), b.size(), null, null);
            }
        }
        double train = (System.nanoTime() - t0) / 1e9;
        if (Boolean.getBoolean("seqwatch.profile") && net instanceof Nd4jLstmNet) {
            StringBuilder sb = new StringBuilder("seqwatch: training phases (ms):");
            for (int i = 0; i < Nd4jLstmNet.PHASES.length; i++) {
                sb.append(' ').append(Nd4jLstmNet.PHASES[i]).append('=').append(Nd4jLstmNet.PHASE_NANOS[i] / 1_000_000);
            }
            System.err.println(sb);
        }
        t0 = System.nanoTime();
        double nll = 0;
        for (Batch b : batches) {
            int[] len = LstmNet.lengthsFromTargets(b.targets(), b.steps(), b.size());
            nll += StepScorer.sumNll(net.forward(b.inputs(), len, b.steps(), b.size(), null, false).logits(),
                    b.targets(), net.vocab);
        }
        double score = (System.nanoTime() - t0) / 1e9;
        return new Result(d.steps(), d.windows().size(), d.vocab(), train, score, nll / Math.max(1, d.steps()));
    }

    /**
     * The same workload on a plain DL4J {@code MultiLayerNetwork} (EmbeddingSequenceLayer, LSTM x L,
     * RnnOutputLayer with masks), as the baseline our engine is measured against.
     */
    public static Result runMultiLayerNetwork(Data d, Config c) {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(c.seed()).dataType(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .updater(new org.nd4j.linalg.learning.config.Adam(1e-3))
                .list();
        // no setInputType: it would reset the embedding layer's nIn (the vocabulary size, set below) to 1
        conf.layer(new org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer.Builder()
                .nIn(d.vocab()).nOut(c.embed()).build());
        for (int l = 0; l < c.layers(); l++) {
            conf.layer(new org.deeplearning4j.nn.conf.layers.LSTM.Builder().nIn(l == 0 ? c.embed() : c.hidden())
                    .nOut(c.hidden()).activation(org.nd4j.linalg.activations.Activation.TANH).build());
        }
        conf.layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(
                org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT)
                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).nIn(c.hidden()).nOut(d.vocab())
                .dataFormat(org.deeplearning4j.nn.conf.RNNFormat.NCW) // M2.1 bug: null format fails the length check
                .build());
        var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(conf.build());
        net.init();
        List<org.nd4j.linalg.dataset.DataSet> sets = new ArrayList<>();
        for (Batch b : batches(d.windows(), c.batch())) {
            int bs = b.size();
            int t = b.steps();
            float[] f = new float[bs * t];
            float[] lab = new float[bs * d.vocab() * t];
            float[] mask = new float[bs * t];
            for (int k = 0; k < t; k++) {
                for (int j = 0; j < bs; j++) {
                    int tg = b.targets()[k * bs + j];
                    f[j * t + k] = b.inputs()[k * bs + j];
                    if (tg >= 0) {
                        mask[j * t + k] = 1;
                        lab[(j * d.vocab() + tg) * t + k] = 1;
                    }
                }
            }
            var m = org.nd4j.linalg.factory.Nd4j.create(mask, new long[]{bs, t}, 'c');
            sets.add(new org.nd4j.linalg.dataset.DataSet(org.nd4j.linalg.factory.Nd4j.create(f, new long[]{bs, t}, 'c'),
                    org.nd4j.linalg.factory.Nd4j.create(lab, new long[]{bs, d.vocab(), t}, 'c'), m, m));
        }
        long t0 = System.nanoTime();
        for (int e = 0; e < c.epochs(); e++) {
            for (var ds : sets) {
                net.fit(ds);
            }
        }
        double train = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        double nll = 0;
        for (var ds : sets) {
            var out = net.output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
            var p = out.mul(ds.getLabels()).sum(1); // [B, T] probability of the actual next token
            var mask = ds.getLabelsMaskArray();
            float[] pv = Nd4jLstmNet.floats(p);
            float[] mv = Nd4jLstmNet.floats(mask);
            for (int i = 0; i < pv.length; i++) {
                if (mv[i] > 0) {
                    nll -= Math.log(pv[i]);
                }
            }
        }
        double score = (System.nanoTime() - t0) / 1e9;
        return new Result(d.steps(), d.windows().size(), d.vocab(), train, score, nll / Math.max(1, d.steps()));
    }

    /** Cost of scoring {@code newSteps} new events with carried state vs rescoring the whole history. */
    public record Incremental(int historySteps, int newSteps, double fullMillis, double incrementalMillis) {
    }

    private static LstmNet engine(String engine, int vocab, Config c) {
        return switch (engine) {
            case "java" -> new JavaLstmNet(vocab, c.embed(), c.hidden(), c.layers(), -1);
            case "nd4j" -> new Nd4jLstmNet(vocab, c.embed(), c.hidden(), c.layers(), -1);
            default -> throw new UserFacingException("unknown LSTM engine '" + engine + "' (java, nd4j or mln)");
        };
    }

    /** Human-readable name of an engine for benchmark output. */
    public static String describe(String engine, Data d, Config c) {
        return engine(engine, d.vocab(), c).describe();
    }

    public static List<Incremental> incremental(Data d, Config c, int[] histories, int[] news, int repeats) {
        LstmNet net = LstmNet.create(d.vocab(), c.embed(), c.hidden(), c.layers(), -1);
        net.initialise(c.seed());
        // one long synthetic history made of the data's windows, end to end
        int maxH = Arrays.stream(histories).max().orElse(0) + Arrays.stream(news).max().orElse(0);
        int[] stream = new int[maxH + 1];
        int p = 0;
        while (p < stream.length) {
            for (int[] w : d.windows()) {
                for (int t : w) {
                    if (p < stream.length) {
                        stream[p++] = t;
                    }
                }
            }
        }
        List<Incremental> out = new ArrayList<>();
        for (int h : histories) {
            for (int k : news) {
                double[] full = new double[repeats];
                double[] inc = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long t0 = System.nanoTime();
                    chunked(net, stream, 0, h + k, c.maxLen(), null);
                    full[r] = (System.nanoTime() - t0) / 1e6;
                    LstmNet.State s = chunked(net, stream, 0, h, c.maxLen(), null);
                    t0 = System.nanoTime();
                    chunked(net, stream, h, h + k, c.maxLen(), s);
                    inc[r] = (System.nanoTime() - t0) / 1e6;
                }
                out.add(new Incremental(h, k, median(full), median(inc)));
            }
        }
        return out;
    }

    /** Forward over stream[from, to) for one user in chunks of maxLen, carrying the state; returns the last state. */
    private static LstmNet.State chunked(LstmNet net, int[] stream, int from, int to, int maxLen, LstmNet.State s) {
        for (int a = from; a < to; a += maxLen) {
            int b = Math.min(to, a + maxLen);
            LstmNet.Forward f = net.forward(Arrays.copyOfRange(stream, a, b), null, b - a, 1, s, true);
            s = f.last();
        }
        return s;
    }

    public static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
