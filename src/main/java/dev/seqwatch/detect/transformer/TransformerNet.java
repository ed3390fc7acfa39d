package dev.seqwatch.detect.transformer;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

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
 * positions [B*T, context] one-hot, mask [T,T] (0 on and below the diagonal, -1e9 above), shape4
 * {B, T, heads, dim/heads}, targets [B*T, vocab] one-hot (all-zero rows carry no loss).
 */
final class TransformerNet {
    final int vocab;
    final int dim;
    final int layers;
    final int heads;
    final int ff;
    final int context;
    private final SameDiff sd;

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

    static TransformerNet create(int vocab, int dim, int layers, int heads, int ff, int context, long seed) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("dim " + dim + " is not a multiple of heads " + heads);
        }
        TransformerNet n = new TransformerNet(vocab, dim, layers, heads, ff, context);
        n.build(n.initial(seed));
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
        SDVariable shape4 = sd.placeHolder("shape4", DataType.LONG, 4);
        SDVariable targets = sd.placeHolder("targets", DataType.FLOAT, -1, vocab);
        int dh = dim / heads;
        SDVariable x = sd.mmul(tokens, w.get("tok_emb")).add(sd.mmul(positions, w.get("pos_emb")));
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
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(lr))
                .dataSetFeatureMapping("tokens", "positions", "mask", "shape4")
                .dataSetLabelMapping("targets")
                .minimize("loss")
                .build());
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

    /** Placeholders tokens (one-hot), positions (one-hot), mask and shape4 for a [b][t] batch. */
    private INDArray[] inputs(int[] tokens, int t, int b) {
        int rows = t * b;
        float[] tok = new float[rows * vocab];
        float[] pos = new float[rows * context];
        for (int r = 0; r < rows; r++) {
            tok[r * vocab + tokens[r]] = 1f;
            pos[r * context + r % t] = 1f;
        }
        float[] m = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                m[i * t + j] = -1e9f;
            }
        }
        return new INDArray[]{Nd4j.create(tok, new long[]{rows, vocab}, 'c'),
                Nd4j.create(pos, new long[]{rows, context}, 'c'),
                Nd4j.create(m, new long[]{t, t}, 'c'),
                Nd4j.createFromArray(new long[]{b, t, heads, dim / heads})};
    }

    /**
     * One Adam step on a batch: {@code tokens} [b][t] row-major (user-major), {@code targets} likewise,
     * -1 where a position carries no loss. Returns {sum of -log p over targeted positions, their count}.
     */
    double[] trainBatch(int[] tokens, int[] targets, int t, int b) {
        if (t > context) {
            throw new IllegalArgumentException("window of " + t + " tokens exceeds the context " + context);
        }
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
        INDArray[] in = inputs(tokens, t, b);
        INDArray labels = Nd4j.create(oh, new long[]{(long) t * b, vocab}, 'c');
        double[] loss = {Double.NaN};
        sd.fit(new MultiDataSet(in, new INDArray[]{labels}), new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return true;
            }

            @Override
            public void iterationDone(SameDiff s, At at, org.nd4j.linalg.dataset.api.MultiDataSet data, Loss l) {
                loss[0] = l.totalLoss();
            }
        });
        return new double[]{loss[0] * count, count};
    }

    /** Logits [b*t][vocab] row-major (user-major) and, when asked, the attention of every layer. */
    Forward forward(int[] tokens, int t, int b, boolean attention) {
        if (t > context) {
            throw new IllegalArgumentException("window of " + t + " tokens exceeds the context " + context);
        }
        INDArray[] in = inputs(tokens, t, b);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("tokens", in[0]);
        ph.put("positions", in[1]);
        ph.put("mask", in[2]);
        ph.put("shape4", in[3]);
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
