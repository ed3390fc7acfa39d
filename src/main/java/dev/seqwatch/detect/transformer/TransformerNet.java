package dev.seqwatch.detect.transformer;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A causal (next-token) pre-layer-norm Transformer encoder built as a DL4J SameDiff graph: token and
 * learned position embeddings, {@code layers} blocks of multi-head causal self-attention and a GELU
 * feed-forward, a final layer norm and a projection to the vocabulary. Gradients come from SameDiff's
 * autodiff; Adam updates. The weights live in named SameDiff variables; {@link #parameters()} and
 * {@link #setParameters} move them as one flat float array in the fixed order of {@link #shapes}, which
 * is what the model file stores (no SameDiff or Java serialisation).
 *
 * <p>Placeholders (rows are batch-major: row = user * T + position): tokens [B*T, vocab] one-hot,
 * positions [T, context] one-hot (added to every user's rows by broadcasting), mask [T,T] (0 on and
 * below the diagonal, -1e9 above), shape3 {B, T, dim}, shape4 {B, T, heads, dim/heads}, targets
 * [B*T, vocab] one-hot (all-zero rows carry no loss).
 *
 * <p>Training: SameDiff computes the loss and every parameter's gradient in one pass
 * ({@code calculateGradientsAndOutputs}); the update is Adam with global-norm clipping at 1, written
 * here on flat arrays (deterministic, and SameDiff M2.1's {@code fit} does not report the loss without
 * a listener that slows every step).
 */
final class TransformerNet {
    final int vocab;
    final int dim;
    final int layers;
    final int heads;
    final int ff;
    final int context;
    private final SameDiff sd;
    private final Map<String, float[]> adamM = new HashMap<>();
    private final Map<String, float[]> adamV = new HashMap<>();
    private double lr = 0.002;
    private long step;
    private boolean gradientReady;

    private TransformerNet(int vocab, int dim, int layers, int heads, int ff, int context) {
        this.vocab = vocab;
        this.dim = dim;
        this.layers = layers;
        this.heads = heads;
        this.ff = ff;
        this.context = context;
        this.sd = SameDiff.create();
    }

    /** Parameter names and shapes in file order; computable without allocating anything. */
    static LinkedHashMap<String, long[]> shapes(int vocab, int dim, int layers, int ff, int context) {
        LinkedHashMap<String, long[]> s = new LinkedHashMap<>();
        s.put("tok_emb", new long[]{vocab, dim});
        s.put("pos_emb", new long[]{context, dim});
        for (int l = 0; l < layers; l++) {
            s.put("l" + l + "_ln1_g", new long[]{dim});
            s.put("l" + l + "_ln1_b", new long[]{dim});
            for (String w : new String[]{"wq", "wk", "wv", "wo"}) {
                s.put("l" + l + "_" + w, new long[]{dim, dim});
            }
            s.put("l" + l + "_bo", new long[]{dim});
            s.put("l" + l + "_ln2_g", new long[]{dim});
            s.put("l" + l + "_ln2_b", new long[]{dim});
            s.put("l" + l + "_w1", new long[]{dim, ff});
            s.put("l" + l + "_b1", new long[]{ff});
            s.put("l" + l + "_w2", new long[]{ff, dim});
            s.put("l" + l + "_b2", new long[]{dim});
        }
        s.put("lnf_g", new long[]{dim});
        s.put("lnf_b", new long[]{dim});
        s.put("w_out", new long[]{dim, vocab});
        s.put("b_out", new long[]{vocab});
        return s;
    }

    static long parameterCount(int vocab, int dim, int layers, int ff, int context) {
        long n = 0;
        for (long[] sh : shapes(vocab, dim, layers, ff, context).values()) {
            long k = 1;
            for (long x : sh) {
                k = Math.multiplyExact(k, x);
            }
            n = Math.addExact(n, k);
        }
        return n;
    }

    long parameterCount() {
        return parameterCount(vocab, dim, layers, ff, context);
    }

    /** A fresh network with deterministic initial weights from {@code seed}. */
    static TransformerNet create(int vocab, int dim, int layers, int heads, int ff, int context, long seed) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("dim " + dim + " is not a multiple of heads " + heads);
        }
        TransformerNet n = new TransformerNet(vocab, dim, layers, heads, ff, context);
        n.build(n.initial(seed));
        return n;
    }

    /** A network holding {@code params} (flat, in {@link #shapes} order; the length is checked first). */
    static TransformerNet create(int vocab, int dim, int layers, int heads, int ff, int context, float[] params) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("dim " + dim + " is not a multiple of heads " + heads);
        }
        TransformerNet n = new TransformerNet(vocab, dim, layers, heads, ff, context);
        if (params.length != n.parameterCount()) {
            throw new IllegalArgumentException(params.length + " parameters, expected " + n.parameterCount());
        }
        n.build(params);
        return n;
    }

    /** Deterministic initial weights: embeddings N(0, 0.02), matrices N(0, 1/fan_in), gains 1, biases 0. */
    private float[] initial(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[Math.toIntExact(parameterCount())];
        int at = 0;
        for (Map.Entry<String, long[]> e : shapes(vocab, dim, layers, ff, context).entrySet()) {
            String name = e.getKey();
            long[] sh = e.getValue();
            int size = (int) (sh.length == 1 ? sh[0] : sh[0] * sh[1]);
            double std = name.endsWith("emb") ? 0.02 : sh.length == 2 ? 1.0 / Math.sqrt(sh[0]) : 0;
            boolean gain = name.endsWith("_g");
            for (int i = 0; i < size; i++) {
                p[at + i] = gain ? 1f : (float) (std * gaussian(r));
            }
            at += size;
        }
        return p;
    }

    private static double gaussian(SplittableRandom r) {
        double u = Math.max(1e-12, r.nextDouble());
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private void build(float[] p) {
        Map<String, SDVariable> w = new HashMap<>();
        int at = 0;
        for (Map.Entry<String, long[]> e : shapes(vocab, dim, layers, ff, context).entrySet()) {
            long[] sh = e.getValue();
            int size = (int) (sh.length == 1 ? sh[0] : sh[0] * sh[1]);
            float[] v = new float[size];
            System.arraycopy(p, at, v, 0, size);
            at += size;
            w.put(e.getKey(), sd.var(e.getKey(), Nd4j.create(v, sh, 'c')));
        }
        // embeddings as one-hot products: SameDiff M2.1's gather gradient builds a control-flow loop that
        // fails when a graph holds two of them, a matmul with a one-hot matrix has a plain gradient
        SDVariable tokens = sd.placeHolder("tokens", DataType.FLOAT, -1, vocab);
        SDVariable positions = sd.placeHolder("positions", DataType.FLOAT, -1, context);
        SDVariable mask = sd.placeHolder("mask", DataType.FLOAT, -1, -1);
        SDVariable shape3 = sd.placeHolder("shape3", DataType.LONG, 3);
        SDVariable shape4 = sd.placeHolder("shape4", DataType.LONG, 4);
        SDVariable targets = sd.placeHolder("targets", DataType.FLOAT, -1, vocab);
        int dh = dim / heads;
        SDVariable x = sd.reshape(sd.reshape(sd.mmul(tokens, w.get("tok_emb")), shape3)
                .add(sd.mmul(positions, w.get("pos_emb"))), -1, dim);
        double scale = 1.0 / Math.sqrt(dh);
        for (int l = 0; l < layers; l++) {
            String pf = "l" + l + "_";
            SDVariable h = sd.nn.layerNorm(x, w.get(pf + "ln1_g"), w.get(pf + "ln1_b"), true, 1);
            SDVariable q = sd.permute(sd.reshape(sd.mmul(h, w.get(pf + "wq")), shape4), 0, 2, 1, 3);
            SDVariable k = sd.permute(sd.reshape(sd.mmul(h, w.get(pf + "wk")), shape4), 0, 2, 1, 3);
            SDVariable v = sd.permute(sd.reshape(sd.mmul(h, w.get(pf + "wv")), shape4), 0, 2, 1, 3);
            SDVariable s = sd.mmul(q, k, false, true, false).mul(scale).add(mask);
            SDVariable a = sd.nn.softmax("att" + l, s, 3);
            SDVariable o = sd.reshape(sd.permute(sd.mmul(a, v), 0, 2, 1, 3), -1, dim);
            x = x.add(sd.mmul(o, w.get(pf + "wo")).add(w.get(pf + "bo")));
            h = sd.nn.layerNorm(x, w.get(pf + "ln2_g"), w.get(pf + "ln2_b"), true, 1);
            SDVariable f = sd.nn.gelu(sd.mmul(h, w.get(pf + "w1")).add(w.get(pf + "b1")));
            x = x.add(sd.mmul(f, w.get(pf + "w2")).add(w.get(pf + "b2")));
        }
        SDVariable h = sd.nn.layerNorm(x, w.get("lnf_g"), w.get("lnf_b"), true, 1);
        SDVariable logits = sd.mmul(h, w.get("w_out")).add("logits", w.get("b_out"));
        // log-softmax by hand: SameDiff's LogSoftMax op cannot be cloned for the gradient graph in M2.1
        SDVariable shifted = logits.sub(logits.max(true, 1));
        SDVariable logp = shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, 1)));
        SDVariable count = sd.math.max(targets.sum(), sd.constant(1f));
        SDVariable loss = targets.mul(logp).sum().neg().div("loss", count);
        loss.markAsLoss();
    }

    void setLearningRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate " + lr + " is not a positive number");
        }
        this.lr = lr;
    }

    /** Flat parameters in {@link #shapes} order. */
    float[] parameters() {
        float[] p = new float[Math.toIntExact(parameterCount())];
        int at = 0;
        for (String name : shapes(vocab, dim, layers, ff, context).keySet()) {
            float[] v = sd.getVariable(name).getArr().dup('c').data().asFloat();
            System.arraycopy(v, 0, p, at, v.length);
            at += v.length;
        }
        return p;
    }

    void setParameters(float[] p) {
        if (p.length != parameterCount()) {
            throw new IllegalArgumentException(p.length + " parameters, expected " + parameterCount());
        }
        int at = 0;
        for (Map.Entry<String, long[]> e : shapes(vocab, dim, layers, ff, context).entrySet()) {
            long[] sh = e.getValue();
            int size = (int) (sh.length == 1 ? sh[0] : sh[0] * sh[1]);
            float[] v = new float[size];
            System.arraycopy(p, at, v, 0, size);
            at += size;
            sd.getVariable(e.getKey()).getArr().assign(Nd4j.create(v, sh, 'c'));
        }
    }

    /** Placeholders tokens, positions, mask, shape3 and shape4 for a [b][t] batch. */
    private Map<String, INDArray> inputs(int[] tokens, int t, int b) {
        if (t > context) {
            throw new IllegalArgumentException("window of " + t + " tokens exceeds the context " + context);
        }
        int rows = t * b;
        float[] tok = new float[rows * vocab];
        for (int r = 0; r < rows; r++) {
            tok[r * vocab + tokens[r]] = 1f;
        }
        float[] pos = new float[t * context];
        for (int i = 0; i < t; i++) {
            pos[i * context + i] = 1f;
        }
        float[] m = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                m[i * t + j] = -1e9f;
            }
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("tokens", Nd4j.create(tok, new long[]{rows, vocab}, 'c'));
        ph.put("positions", Nd4j.create(pos, new long[]{t, context}, 'c'));
        ph.put("mask", Nd4j.create(m, new long[]{t, t}, 'c'));
        ph.put("shape3", Nd4j.createFromArray(new long[]{b, t, dim}));
        ph.put("shape4", Nd4j.createFromArray(new long[]{b, t, heads, dim / heads}));
        return ph;
    }

    /**
     * One Adam step on a batch: {@code tokens} [b][t] row-major (user-major), {@code targets} likewise,
     * -1 where a position carries no loss. Returns {sum of -log p over targeted positions, their count}.
     */
    double[] trainBatch(int[] tokens, int[] targets, int t, int b) {
        float[] oh = new float[t * b * vocab];
        int count = 0;
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] >= 0) {
                oh[i * vocab + targets[i]] = 1f;
                count++;
            }
        }
        if (count == 0) {
            return new double[]{0, 0};
        }
        if (!gradientReady) {
            withoutStdout(sd::createGradFunction);
            gradientReady = true;
        }
        Map<String, INDArray> ph = inputs(tokens, t, b);
        ph.put("targets", Nd4j.create(oh, new long[]{(long) t * b, vocab}, 'c'));
        List<String> names = new ArrayList<>(shapes(vocab, dim, layers, ff, context).keySet());
        OutAndGrad r = sd.calculateGradientsAndOutputs(ph, List.of("loss"), names);
        double loss = r.getOutputs().get("loss").getDouble(0);
        float[][] g = new float[names.size()][];
        double norm2 = 0;
        for (int i = 0; i < g.length; i++) {
            g[i] = r.getGradients().get(names.get(i)).dup('c').data().asFloat();
            for (float x : g[i]) {
                norm2 += (double) x * x;
            }
        }
        double clip = Math.sqrt(norm2) > 1.0 ? 1.0 / Math.sqrt(norm2) : 1.0;
        if (!Double.isFinite(norm2) || !Double.isFinite(loss)) {
            throw new IllegalStateException("the Transformer's training diverged (loss " + loss + "); try a lower lr");
        }
        step++;
        double b1 = 0.9;
        double b2 = 0.999;
        double c1 = 1 - Math.pow(b1, step);
        double c2 = 1 - Math.pow(b2, step);
        for (int i = 0; i < g.length; i++) {
            String n = names.get(i);
            INDArray var = sd.getVariable(n).getArr();
            float[] w = var.dup('c').data().asFloat();
            float[] m = adamM.computeIfAbsent(n, k -> new float[w.length]);
            float[] v = adamV.computeIfAbsent(n, k -> new float[w.length]);
            float[] gi = g[i];
            for (int j = 0; j < w.length; j++) {
                double gj = gi[j] * clip;
                m[j] = (float) (b1 * m[j] + (1 - b1) * gj);
                v[j] = (float) (b2 * v[j] + (1 - b2) * gj * gj);
                w[j] -= (float) (lr * (m[j] / c1) / (Math.sqrt(v[j] / c2) + 1e-8));
            }
            var.assign(Nd4j.create(w, var.shape(), 'c'));
        }
        return new double[]{loss * count, count};
    }

    /**
     * Runs {@code r} with {@code System.out} discarded: SameDiff M2.1 prints one line per differentiated
     * op to standard output while it builds the gradient graph (once per network), which would corrupt a
     * command's output (e.g. {@code --json}). Output of other threads in that moment (well under a
     * second on a small shape) is discarded too; log messages go to the logger, not standard output.
     */
    private static synchronized void withoutStdout(Runnable r) {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            r.run();
        } finally {
            System.setOut(out);
        }
    }

    /** Logits [b*t][vocab] row-major (user-major) and, when asked, the attention of every layer. */
    Forward forward(int[] tokens, int t, int b, boolean attention) {
        Map<String, INDArray> ph = inputs(tokens, t, b);
        List<String> outs = new ArrayList<>();
        outs.add("logits");
        if (attention) {
            for (int l = 0; l < layers; l++) {
                outs.add("att" + l);
            }
        }
        Map<String, INDArray> r = sd.output(ph, outs);
        float[] logits = r.get("logits").dup('c').data().asFloat();
        float[][] att = null;
        if (attention) {
            att = new float[layers][];
            for (int l = 0; l < layers; l++) {
                att[l] = r.get("att" + l).dup('c').data().asFloat(); // [b][heads][t][t]
            }
        }
        return new Forward(logits, att);
    }

    record Forward(float[] logits, float[][] attention) {
    }
}
