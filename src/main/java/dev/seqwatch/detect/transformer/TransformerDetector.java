package dev.seqwatch.detect.transformer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqwatch.common.ProgressListener;
import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.detect.Detector;
import dev.seqwatch.detect.FitOptions;
import dev.seqwatch.detect.FitReport;
import dev.seqwatch.detect.ModelFile;
import dev.seqwatch.detect.Scores;
import dev.seqwatch.detect.UserScores;
import dev.seqwatch.detect.lstm.StepScorer;
import dev.seqwatch.detect.lstm.TokenScheme;
import dev.seqwatch.detect.lstm.UserAggregate;
import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserSequence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Causal Transformer next-event detector (GPT-style pre-training on unlabelled histories): a
 * {@link TransformerNet} reads each user's token stream ({@link TokenScheme}, the LSTM's tokens) and
 * predicts the next token; a step's score is {@code -log p(actual)} summed over the tokens the event
 * emitted, with the model's top-k expectations, exactly as the LSTM's, so timeline, heatmap and exports
 * work unchanged. Histories longer than the context are cut into overlapping windows: the first window
 * scores all its positions, each later one is shifted by {@code stride} and scores only its last
 * {@code stride} positions, so every scored token sees at least {@code context - stride} earlier tokens
 * and the cost grows linearly with the history length.
 *
 * <p>Every step also gets the rank of its actual token among the model's predictions (DeepLog's
 * criterion, as the LSTM's): the aggregates {@code topg_count} and {@code topg_share} count the steps
 * ranked outside the top {@code top_g}.
 *
 * <p>Parameters ({@link FitOptions#params()}, ranges in {@code ParamSpecs}): dim (32), layers (2), heads (2;
 * must divide dim), ff (4*dim), context (64), stride (context/2), batch (32), lr (0.002), gaps (true),
 * session_gap_minutes (30), categories (false), amounts (false), complete_sessions (false), aggregate
 * (top5_mean), top_k (3), top_g (9); epochs 8 unless given. Engine choice: docs/decisions/0007-transformer-engine.md.
 */
public final class TransformerDetector implements Detector {
    public static final String NAME = "transformer";
    static final int SCORE_BATCH = 64;
    static final int MAX_DIM = 1024;
    static final int MAX_LAYERS = 16;
    static final int MAX_CONTEXT = 4096;
    static final int MAX_FF = 8192;
    static final int MAX_VOCAB = 1 << 20;
    /** Most floats one batch's activations and gradients may take (about 1 GB), estimated by {@link #floatsPerBatch}. */
    static final long MAX_BATCH_FLOATS = 256L << 20;

    private TokenScheme scheme;
    private TransformerNet net;
    private int stride = 32;
    private int topK = 3;
    private int topG = 9;
    private UserAggregate aggregate = UserAggregate.TOP5_MEAN;
    private ObjectNode trainingSummary = ModelFile.json().createObjectNode();
    private ObjectNode metrics = ModelFile.json().createObjectNode();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FitReport fit(SequenceSet train, FitOptions o, ProgressListener p) {
        long started = System.currentTimeMillis();
        p.progress(0, "building the Transformer (SameDiff)");
        SequenceSet normal = o.excludeFraud() ? train.without(o.labels().fraudUsers()) : train;
        if (normal.size() == 0 || normal.totalEvents() == 0) {
            throw new UserFacingException("no events to train the Transformer on"
                    + (o.excludeFraud() ? " after leaving out fraud-labelled users" : ""));
        }
        int dim = o.intParam("dim", 32);
        int layers = o.intParam("layers", 2);
        int heads = o.intParam("heads", 2);
        int ff = o.intParam("ff", 4 * dim);
        int context = o.intParam("context", 64);
        stride = o.intParam("stride", Math.max(1, context / 2));
        int batch = o.intParam("batch", 32);
        topK = o.intParam("top_k", 3);
        topG = o.intParam("top_g", 9);
        aggregate = UserAggregate.parse(o.params().getOrDefault("aggregate", "top5_mean"));
        if (aggregate.usesNorms()) {
            throw new UserFacingException("Transformer: aggregate " + aggregate.name().toLowerCase(Locale.ROOT)
                    + " (two-sided, length norms) is offered by the LSTM only; choose max, mean, top5_mean, p90, sum,"
                    + " topg_count or topg_share");
        }
        int epochs = o.epochsOr(8);
        checkShape(dim, layers, heads, ff, context, stride, "fit parameters");
        if (batch < 1 || topK < 1 || topG < 1) {
            throw new UserFacingException("Transformer: batch, top_k and top_g must be at least 1");
        }
        boolean gaps = Boolean.parseBoolean(o.params().getOrDefault("gaps", "true"));
        long sessionGap = (long) (o.doubleParam("session_gap_minutes", 30) * 60_000);
        boolean categories = Boolean.parseBoolean(o.params().getOrDefault("categories", "false"));
        boolean amounts = Boolean.parseBoolean(o.params().getOrDefault("amounts", "false"));
        boolean complete = Boolean.parseBoolean(o.params().getOrDefault("complete_sessions", "false"));
        scheme = new TokenScheme(normal.actionNames(), gaps, sessionGap, categories,
                amounts ? TokenScheme.amountQuartiles(normal) : null, complete);
        if (scheme.vocab() > MAX_VOCAB) {
            throw new UserFacingException("Transformer: " + scheme.vocab() + " tokens is more than the " + MAX_VOCAB
                    + " supported; turn off gaps, categories or amounts, or merge rare actions");
        }
        long floats = floatsPerBatch(scheme.vocab(), dim, layers, heads, ff, context, batch);
        if (floats > MAX_BATCH_FLOATS) {
            throw new UserFacingException(String.format(Locale.ROOT, "Transformer: a training batch of %d windows of %d"
                    + " tokens (dim %d, ff %d, %d heads, %d layers, %d-token vocabulary) would need about %.1f GB;"
                    + " the limit is %.1f GB: lower batch, context, heads or dim", batch, context, dim, ff, heads, layers,
                    scheme.vocab(), floats * 4 / 1e9, MAX_BATCH_FLOATS * 4 / 1e9));
        }
        net = TransformerNet.create(scheme.vocab(), dim, layers, heads, ff, context, o.seed());
        net.setLearningRate(o.doubleParam("lr", 0.002));

        int[] map = scheme.actionMap(normal);
        List<int[][]> streams = new ArrayList<>(normal.size());
        long steps = 0;
        for (UserSequence u : normal.users()) {
            int[][] s = streamOf(TokenScheme.SESSION_START, scheme.encode(u, map, 0, 0).tokens());
            streams.add(s);
            steps += s[0].length;
        }
        List<int[]> windows = windows(streams);
        List<int[]> groups = groups(windows, batch);
        SplittableRandom rnd = new SplittableRandom(o.seed());
        List<Double> losses = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            int[] order = shuffled(groups.size(), rnd);
            double nll = 0;
            double count = 0;
            for (int gi = 0; gi < order.length; gi++) {
                p.checkCancelled();
                Batch b = batch(streams, windows, groups.get(order[gi]));
                double[] r = net.trainBatch(b.in, b.tg, b.t, b.b);
                nll += r[0];
                count += r[1];
                p.progress((e + (gi + 1.0) / order.length) / epochs,
                        "epoch " + (e + 1) + "/" + epochs + ", batch " + (gi + 1) + "/" + order.length);
            }
            double loss = nll / Math.max(1, count);
            losses.add(loss);
            p.metric("loss", e + 1, loss);
            p.progress((e + 1.0) / epochs, String.format(Locale.ROOT, "epoch %d/%d, loss %.4f", e + 1, epochs, loss));
        }
        long millis = System.currentTimeMillis() - started;
        trainingSummary = ModelFile.json().createObjectNode();
        trainingSummary.put("users", normal.size());
        trainingSummary.put("events", normal.totalEvents());
        trainingSummary.put("token_steps", steps);
        trainingSummary.put("windows", windows.size());
        trainingSummary.put("excluded_fraud_users", train.size() - normal.size());
        trainingSummary.put("epochs", epochs);
        trainingSummary.put("seed", o.seed());
        trainingSummary.put("millis", millis);
        trainingSummary.put("engine", "DL4J SameDiff");
        metrics = ModelFile.json().createObjectNode();
        metrics.put("final_loss", losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1));
        ArrayNode lc = metrics.putArray("loss_per_epoch");
        losses.forEach(lc::add);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("vocab", scheme.vocab());
        details.put("parameters", net.parameterCount());
        details.put("engine", "DL4J SameDiff");
        details.put("windows", windows.size());
        details.put("shape", "dim " + dim + ", layers " + layers + ", heads " + heads + ", ff " + ff + ", context " + context);
        p.progress(1.0, "trained");
        return new FitReport(NAME, normal.size(), normal.totalEvents(), millis, losses, details);
    }

    static void checkShape(int dim, int layers, int heads, int ff, int context, int stride, String where) {
        if (dim < 1 || dim > MAX_DIM || layers < 1 || layers > MAX_LAYERS || heads < 1 || heads > dim
                || ff < 1 || ff > MAX_FF || context < 2 || context > MAX_CONTEXT || stride < 1 || stride > context) {
            throw new UserFacingException("Transformer " + where + ": shape dim " + dim + ", layers " + layers
                    + ", heads " + heads + ", ff " + ff + ", context " + context + ", stride " + stride
                    + " is out of range (dim 1.." + MAX_DIM + ", heads 1..dim, layers 1.." + MAX_LAYERS
                    + ", ff 1.." + MAX_FF + ", context 2.." + MAX_CONTEXT + ", stride 1..context)");
        }
        if (dim % heads != 0) {
            throw new UserFacingException("Transformer " + where + ": heads " + heads + " does not divide dim " + dim
                    + " (each head gets dim/heads of the width; dim must be a multiple of heads)");
        }
    }

    /**
     * Rough count of the floats a batch of {@code b} windows of {@code t} tokens occupies in training
     * (one-hot inputs and targets, logits and their gradients, per layer the activations, the attention
     * scores of every head and their gradients): what {@link #MAX_BATCH_FLOATS} bounds.
     */
    static long floatsPerBatch(int vocab, int dim, int layers, int heads, int ff, int t, int b) {
        double perToken = 4.0 * vocab + t + layers * (12.0 * dim + 3.0 * ff + 4.0 * heads * t);
        double total = perToken * t * (double) b;
        return total > Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) total;
    }

    /** Windows per scoring batch: up to {@link #SCORE_BATCH}, fewer when long windows would exceed the budget. */
    private int scoreBatch() {
        long one = floatsPerBatch(net.vocab, net.dim, net.layers, net.heads, net.ff, net.context, 1);
        return (int) Math.max(1, Math.min(SCORE_BATCH, MAX_BATCH_FLOATS / Math.max(1, one)));
    }

    /** {inputs, targets}; inputs start with the context token (session start for a fresh history). */
    private static int[][] streamOf(int context, int[] toks) {
        int[] in = new int[toks.length];
        if (toks.length > 0) {
            in[0] = context;
            System.arraycopy(toks, 0, in, 1, toks.length - 1);
        }
        return new int[][]{in, toks};
    }

    /** Windows {stream, start, length, first scored offset} covering every position exactly once. */
    private List<int[]> windows(List<int[][]> streams) {
        int c = net.context;
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < streams.size(); s++) {
            int len = streams.get(s)[0].length;
            if (len == 0) {
                continue;
            }
            int end = Math.min(c, len);
            out.add(new int[]{s, 0, end, 0});
            while (end < len) {
                int newEnd = Math.min(len, end + stride);
                int start = Math.max(0, newEnd - c);
                out.add(new int[]{s, start, newEnd - start, end - start});
                end = newEnd;
            }
        }
        return out;
    }

    /** Windows sorted by length (little padding), cut into groups of {@code size}. */
    private static List<int[]> groups(List<int[]> windows, int size) {
        Integer[] idx = new Integer[windows.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Integer.compare(windows.get(a)[2], windows.get(b)[2]));
        List<int[]> out = new ArrayList<>();
        for (int s = 0; s < idx.length; s += size) {
            int[] g = new int[Math.min(size, idx.length - s)];
            for (int j = 0; j < g.length; j++) {
                g[j] = idx[s + j];
            }
            out.add(g);
        }
        return out;
    }

    private record Batch(int[] in, int[] tg, int t, int b) {
    }

    private static Batch batch(List<int[][]> streams, List<int[]> windows, int[] g) {
        int t = 0;
        for (int w : g) {
            t = Math.max(t, windows.get(w)[2]);
        }
        int b = g.length;
        int[] in = new int[b * t];
        int[] tg = new int[b * t];
        Arrays.fill(tg, -1);
        for (int j = 0; j < b; j++) {
            int[] w = windows.get(g[j]);
            int[][] s = streams.get(w[0]);
            for (int q = 0; q < w[2]; q++) {
                in[j * t + q] = s[0][w[1] + q];
                if (q >= w[3]) {
                    tg[j * t + q] = s[1][w[1] + q];
                }
            }
        }
        return new Batch(in, tg, t, b);
    }

    private static int[] shuffled(int n, SplittableRandom r) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return a;
    }

    @Override
    public Scores score(SequenceSet set, ProgressListener p) {
        requireTrained();
        p.progress(0, "scoring with the Transformer");
        int[] map = scheme.actionMap(set);
        List<TokenScheme.Encoded> enc = new ArrayList<>(set.size());
        List<int[][]> streams = new ArrayList<>(set.size());
        for (UserSequence u : set.users()) {
            TokenScheme.Encoded e = scheme.encode(u, map, 0, 0);
            enc.add(e);
            streams.add(streamOf(TokenScheme.SESSION_START, e.tokens()));
        }
        double[][] surprisal = new double[streams.size()][];
        int[][] top = new int[streams.size()][];
        int[][] ranks = new int[streams.size()][];
        for (int i = 0; i < streams.size(); i++) {
            surprisal[i] = new double[streams.get(i)[0].length];
            top[i] = new int[streams.get(i)[0].length * topK];
            ranks[i] = new int[streams.get(i)[0].length];
        }
        List<int[]> windows = windows(streams);
        List<int[]> groups = groups(windows, scoreBatch());
        int v = net.vocab;
        for (int gi = 0; gi < groups.size(); gi++) {
            p.checkCancelled();
            int[] g = groups.get(gi);
            Batch b = batch(streams, windows, g);
            float[] z = net.forward(b.in, b.t, b.b, false).logits();
            for (int j = 0; j < b.b; j++) {
                int[] w = windows.get(g[j]);
                int u = w[0];
                for (int q = w[3]; q < w[2]; q++) {
                    int target = b.tg[j * b.t + q];
                    int pos = w[1] + q;
                    int off = (j * b.t + q) * v;
                    surprisal[u][pos] = target == TokenScheme.UNSEEN
                            ? StepScorer.maxSurprisal(z, off, v, TokenScheme.UNSEEN)
                            : StepScorer.surprisal(z, off, v, target);
                    StepScorer.topK(z, off, v, topK, TokenScheme.UNSEEN, top[u], pos * topK);
                    ranks[u][pos] = StepScorer.rank(z, off, v, target, TokenScheme.UNSEEN);
                }
            }
            p.progress((gi + 1.0) / groups.size(), "scored " + (gi + 1) + "/" + groups.size() + " batches");
        }
        List<UserScores> users = new ArrayList<>(set.size());
        for (int i = 0; i < set.size(); i++) {
            users.add(userScores(set.users().get(i).userId(), enc.get(i), surprisal[i], top[i], ranks[i]));
        }
        return new Scores(NAME, scheme.names(), topK, topG, users);
    }

    /**
     * Per event: the summed surprisal and the worst rank of the tokens it is charged for (the session end
     * and start it revealed, its own token, for the last event of a closed history the final end), and
     * the top-k expected at its own token.
     */
    private UserScores userScores(String userId, TokenScheme.Encoded e, double[] surprisal, int[] top, int[] tokenRanks) {
        int n = e.eventTok().length;
        double[] steps = new double[n];
        int[] ranks = new int[n];
        int[] expected = new int[n * topK];
        for (int i = 0; i < n; i++) {
            double s = 0;
            int r = 0;
            int last = i == n - 1 ? surprisal.length - 1 : e.eventTok()[i];
            for (int k = e.eventFirst()[i]; k <= last; k++) {
                s += surprisal[k];
                r = Math.max(r, tokenRanks[k]);
            }
            steps[i] = s;
            ranks[i] = r;
            System.arraycopy(top, e.eventTok()[i] * topK, expected, i * topK, topK);
        }
        return new UserScores(userId, aggregate.of(steps, ranks, topG), steps, expected, ranks);
    }

    /**
     * Which earlier events the model attended to when it predicted event {@code step} of {@code u}:
     * per earlier event (index 0..step-1; -1 stands for the history's start context), the attention
     * weight of the last layer averaged over heads, summed over the tokens of that event, from the
     * window in which the step is scored. Weights sum to 1; strongest first. Attention shows where the
     * model looked, not why it scored the step (see README).
     */
    public List<double[]> attention(SequenceSet set, UserSequence u, int step) {
        requireTrained();
        if (step < 0 || step >= u.length()) {
            throw new IllegalArgumentException("step " + step + " is outside the history of " + u.length() + " events");
        }
        TokenScheme.Encoded e = scheme.encode(u, scheme.actionMap(set), 0, 0);
        int[][] s = streamOf(TokenScheme.SESSION_START, e.tokens());
        int pos = e.eventTok()[step];
        int[] w = null;
        for (int[] cand : windows(java.util.Collections.singletonList(s))) {
            if (pos >= cand[1] + cand[3] && pos < cand[1] + cand[2]) {
                w = cand;
            }
        }
        int t = w[2];
        int[] in = Arrays.copyOfRange(s[0], w[1], w[1] + t);
        float[] att = net.forward(in, t, 1, true).attention()[net.layers - 1];
        int q = pos - w[1];
        Map<Integer, Double> byEvent = new LinkedHashMap<>();
        for (int k = 0; k <= q; k++) {
            double a = 0;
            for (int h = 0; h < net.heads; h++) {
                a += att[(h * t + q) * t + k] / net.heads;
            }
            // input position k holds stream token k-1 (position 0: the context token before the history)
            int tok = w[1] + k - 1;
            int ev = tok < 0 ? -1 : eventOfToken(e, tok);
            byEvent.merge(ev, a, Double::sum);
        }
        List<double[]> out = new ArrayList<>();
        byEvent.forEach((ev, a) -> out.add(new double[]{ev, a}));
        out.sort((x, y) -> Double.compare(y[1], x[1]));
        return out;
    }

    private static int eventOfToken(TokenScheme.Encoded e, int tok) {
        int ev = 0;
        for (int i = 0; i < e.eventFirst().length; i++) {
            if (e.eventFirst()[i] <= tok) {
                ev = i;
            }
        }
        return ev;
    }

    private void requireTrained() {
        if (net == null) {
            throw new IllegalStateException("the Transformer detector is not trained");
        }
    }

    @Override
    public void save(Path file) throws IOException {
        requireTrained();
        ObjectNode m = ModelFile.newManifest(NAME);
        ObjectNode params = m.putObject("params");
        params.put("vocab", net.vocab);
        params.put("dim", net.dim);
        params.put("layers", net.layers);
        params.put("heads", net.heads);
        params.put("ff", net.ff);
        params.put("context", net.context);
        params.put("stride", stride);
        params.put("top_k", topK);
        params.put("top_g", topG);
        params.put("aggregate", aggregate.name().toLowerCase(Locale.ROOT));
        params.put("gaps", scheme.gaps);
        params.put("session_gap_millis", scheme.sessionGapMillis);
        params.put("categories", scheme.categories);
        params.put("complete_sessions", scheme.completeSessions);
        if (scheme.amountEdges != null) {
            ArrayNode a = params.putArray("amount_edges");
            for (double d : scheme.amountEdges) {
                a.add(d);
            }
        }
        ArrayNode acts = m.putArray("actions");
        scheme.actions.forEach(acts::add);
        ArrayNode vocab = m.putArray("vocabulary");
        scheme.names().forEach(vocab::add);
        m.set("training", trainingSummary);
        m.set("metrics", metrics);
        float[] w = net.parameters();
        ByteBuffer buf = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(w);
        ModelFile.write(file, m, Map.of("params.f32", buf.array()));
    }

    public static TransformerDetector load(Path file) {
        return load(ModelFile.read(file));
    }

    /** Validates every hyper-parameter and the weights' size before the network is allocated. */
    public static TransformerDetector load(ModelFile f) {
        if (!NAME.equals(f.detector())) {
            throw new UserFacingException("not a Transformer model (detector '" + f.detector() + "')");
        }
        ObjectNode m = f.manifest();
        try {
            JsonNode p = m.path("params");
            JsonNode actionsNode = m.path("actions");
            if (!actionsNode.isArray() || actionsNode.size() > MAX_VOCAB) {
                throw new UserFacingException("Transformer model file is corrupt: 'actions' is missing or too long");
            }
            List<String> actions = new ArrayList<>();
            actionsNode.forEach(a -> actions.add(a.asText()));
            JsonNode edges = p.path("amount_edges");
            if (!edges.isMissingNode() && (!edges.isArray() || edges.size() > 64)) {
                throw new UserFacingException("Transformer model file is corrupt: amount_edges is not a short array");
            }
            double[] edgeValues = null;
            if (edges.isArray()) {
                edgeValues = new double[edges.size()];
                for (int i = 0; i < edgeValues.length; i++) {
                    edgeValues[i] = edges.get(i).asDouble();
                }
            }
            TransformerDetector d = new TransformerDetector();
            d.scheme = new TokenScheme(actions, p.path("gaps").asBoolean(true), p.path("session_gap_millis").asLong(1_800_000),
                    p.path("categories").asBoolean(false), edgeValues, p.path("complete_sessions").asBoolean(false));
            int vocab = p.path("vocab").asInt(-1);
            if (vocab != d.scheme.vocab() || vocab > MAX_VOCAB) {
                throw new UserFacingException("Transformer model file is inconsistent: vocabulary of " + d.scheme.vocab()
                        + " tokens but the network has " + vocab);
            }
            int dim = p.path("dim").asInt(-1);
            int layers = p.path("layers").asInt(-1);
            int heads = p.path("heads").asInt(-1);
            int ff = p.path("ff").asInt(-1);
            int context = p.path("context").asInt(-1);
            int stride = p.path("stride").asInt(-1);
            checkShape(dim, layers, heads, ff, context, stride, "model file is corrupt");
            int topK = p.path("top_k").asInt(-1);
            if (topK < 1 || topK > vocab) {
                throw new UserFacingException("Transformer model file is corrupt: top_k " + topK + " is out of range");
            }
            int topG = p.path("top_g").asInt(9);
            if (topG < 1) {
                throw new UserFacingException("Transformer model file is corrupt: top_g " + topG + " is below 1");
            }
            if (floatsPerBatch(vocab, dim, layers, heads, ff, context, 1) > MAX_BATCH_FLOATS) {
                throw new UserFacingException("Transformer model file is corrupt or too large: one window of " + context
                        + " tokens would exceed the memory limit");
            }
            byte[] raw = f.entry("params.f32");
            long expected = TransformerNet.parameterCount(vocab, dim, layers, ff, context) * 4;
            if (raw.length != expected) {
                throw new UserFacingException("Transformer model file is truncated or corrupt: " + raw.length
                        + " bytes of parameters, expected " + expected);
            }
            // finite only, as before (no magnitude bound has been measured for this network)
            float[] w = ModelFile.weights(raw, Float.MAX_VALUE, "Transformer model file is corrupt");
            d.net = TransformerNet.create(vocab, dim, layers, heads, ff, context, w);
            d.stride = stride;
            d.topK = topK;
            d.topG = topG;
            d.aggregate = UserAggregate.parse(p.path("aggregate").asText("top5_mean"));
            if (d.aggregate.usesNorms()) {
                throw new UserFacingException("Transformer model file is corrupt: aggregate " + d.aggregate + " needs length norms");
            }
            d.trainingSummary = m.path("training").isObject() ? (ObjectNode) m.path("training") : ModelFile.json().createObjectNode();
            d.metrics = m.path("metrics").isObject() ? (ObjectNode) m.path("metrics") : ModelFile.json().createObjectNode();
            return d;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new UserFacingException("Transformer model file is corrupt: " + e.getMessage(), e);
        }
    }

    public ObjectNode trainingSummary() {
        return trainingSummary;
    }

    public ObjectNode metrics() {
        return metrics;
    }

    int contextLength() {
        return net.context;
    }
}
