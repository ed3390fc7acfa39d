package dev.seqwatch.detect.lstm;

import java.util.Arrays;

/**
 * The CPU engine of {@link LstmNet}: plain Java loops over float arrays, one fused pass per sequence.
 *
 * <p>Why not libnd4j's fused {@code lstmLayer} ops (still used on CUDA, {@link Nd4jLstmNet}): profiled on
 * the 2-core machines, more than 95% of training time went into {@code lstmLayer_bp} and {@code lstmLayer}
 * (one small gemm plus a dozen element-wise native calls per timestep, each over the whole batch, padded
 * steps included), and their OpenMP threads spin: with one other busy process on the machine, training fell
 * from ~5,000 to ~850 steps/s. Here each batch row (one sequence) runs through all its timesteps, all
 * layers, the output layer and the loss in one loop, forward and then backward, with every intermediate of
 * that row in small arrays that stay in the CPU caches; the weights (~230 KB for the benchmark shape) stay
 * in L2. Rows are spread over the cores ({@link Parallel}); each thread adds its rows' gradients into its
 * own gradient vector and the vectors are summed in a fixed order, so a seed gives the same model on every
 * run with the same thread count. Steps after a row's last target (padding) are not computed at all.
 *
 * <p>The inner loops are element-wise over contiguous float arrays, which HotSpot's C2 compiles to SIMD
 * (AVX2 here). Gate nonlinearities use a rational approximation of tanh (the one Eigen uses for float,
 * abs. error below 1e-6 on the whole line) so they vectorise too; sigmoid(x) = (1 + tanh(x/2)) / 2.
 */
final class JavaLstmNet extends LstmNet {
    private static final float ADAM_B1 = 0.9f;
    private static final float ADAM_B2 = 0.999f;
    private static final float ADAM_EPS = 1e-8f;

    /** The parameters, flat (the layout of {@link LstmNet}): saved, loaded and updated by Adam. */
    private final float[] p;
    private final int gates;
    private final int[] inSize;
    private final int[] wxOff;
    private final int[] wrOff;
    private final int[] bOff;
    private final int woOff;
    private final int boOff;
    /**
     * The same parameters as one array per weight row, which the hot loops read. HotSpot C2 (JDK 17) turns
     * {@code z[j] += a * w[j]} into SIMD code only when both arrays are indexed from 0: with a row offset
     * ({@code w[row + j]}) the loop stays scalar, measured 2-3 vs 11-23 GFLOP/s on these machines.
     */
    private final Rows w;
    private final int threads;

    private float[] adamM;
    private float[] adamV;
    private int iteration;

    /** Parameters (or gradients) as row arrays; transposed input / recurrent weights for the backward pass. */
    private final class Rows {
        final float[][] emb = new float[vocab][embed];
        final float[][][] wx = new float[layers][][];
        final float[][][] wr = new float[layers][hidden][4 * hidden];
        final float[][] bias = new float[layers][4 * hidden];
        final float[][] wo = new float[hidden][vocab];
        final float[] bo = new float[vocab];
        final float[][][] wxT;
        final float[][][] wrT;
        /**
         * Layer 0's input part of the gates per token, {@code bias + emb[tok] Wx} ({@code [V, 4H]}): an input is
         * always one token, so its gemv is a table lookup. Row {@code vocab} is the bias alone (zero input).
         */
        final float[][] tokenGates;

        Rows(boolean transposes) {
            wxT = transposes ? new float[layers][][] : null;
            wrT = transposes ? new float[layers][4 * hidden][hidden] : null;
            tokenGates = transposes ? new float[vocab + 1][4 * hidden] : null;
            for (int l = 0; l < layers; l++) {
                wx[l] = new float[inSize[l]][4 * hidden];
                if (transposes) {
                    wxT[l] = new float[4 * hidden][inSize[l]];
                }
            }
        }

        /** Copies the flat vector {@code v} into the rows (and the transposes, if kept). */
        void unpack(float[] v) {
            for (int t = 0; t < vocab; t++) {
                System.arraycopy(v, t * embed, emb[t], 0, embed);
            }
            for (int l = 0; l < layers; l++) {
                for (int a = 0; a < inSize[l]; a++) {
                    System.arraycopy(v, wxOff[l] + a * gates, wx[l][a], 0, gates);
                }
                for (int k = 0; k < hidden; k++) {
                    System.arraycopy(v, wrOff[l] + k * gates, wr[l][k], 0, gates);
                }
                System.arraycopy(v, bOff[l], bias[l], 0, gates);
                if (wxT != null) {
                    for (int a = 0; a < inSize[l]; a++) {
                        for (int j = 0; j < gates; j++) {
                            wxT[l][j][a] = wx[l][a][j];
                        }
                    }
                    for (int k = 0; k < hidden; k++) {
                        for (int j = 0; j < gates; j++) {
                            wrT[l][j][k] = wr[l][k][j];
                        }
                    }
                }
            }
            for (int k = 0; k < hidden; k++) {
                System.arraycopy(v, woOff + k * vocab, wo[k], 0, vocab);
            }
            System.arraycopy(v, boOff, bo, 0, vocab);
            if (tokenGates != null) {
                for (int t = 0; t <= vocab; t++) {
                    float[] z = tokenGates[t];
                    System.arraycopy(bias[0], 0, z, 0, z.length);
                    if (t < vocab && t != zeroToken) {
                        gemv(emb[t], wx[0], z);
                    }
                }
            }
        }

        /** Adds the rows into the flat vector {@code v}. */
        void addTo(float[] v) {
            for (int t = 0; t < vocab; t++) {
                add(emb[t], v, t * embed);
            }
            for (int l = 0; l < layers; l++) {
                for (int a = 0; a < inSize[l]; a++) {
                    add(wx[l][a], v, wxOff[l] + a * gates);
                }
                for (int k = 0; k < hidden; k++) {
                    add(wr[l][k], v, wrOff[l] + k * gates);
                }
                add(bias[l], v, bOff[l]);
            }
            for (int k = 0; k < hidden; k++) {
                add(wo[k], v, woOff + k * vocab);
            }
            add(bo, v, boOff);
        }

        private static void add(float[] src, float[] dst, int off) {
            for (int i = 0; i < src.length; i++) {
                dst[off + i] += src[i];
            }
        }
    }

    JavaLstmNet(int vocab, int embed, int hidden, int layers, int zeroToken) {
        super(vocab, embed, hidden, layers, zeroToken);
        long n = parameterCount();
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("LSTM of " + n + " parameters is too large");
        }
        p = new float[(int) n];
        gates = 4 * hidden;
        inSize = new int[layers];
        wxOff = new int[layers];
        wrOff = new int[layers];
        bOff = new int[layers];
        for (int l = 0; l < layers; l++) {
            inSize[l] = l == 0 ? embed : hidden;
            wxOff[l] = layerOffset(l);
            wrOff[l] = wxOff[l] + inSize[l] * gates;
            bOff[l] = wrOff[l] + hidden * gates;
        }
        woOff = outputOffset();
        boOff = woOff + hidden * vocab;
        w = new Rows(true);
        threads = Parallel.threads();
    }

    @Override
    float[] parameters() {
        return p.clone();
    }

    @Override
    void setParameters(float[] values) {
        if (values.length != p.length) {
            throw new IllegalArgumentException("expected " + p.length + " parameters, got " + values.length);
        }
        System.arraycopy(values, 0, p, 0, p.length);
        w.unpack(p);
    }

    @Override
    void resetOptimiser() {
        adamM = null;
        adamV = null;
        iteration = 0;
    }

    @Override
    String describe() {
        return "java kernels, " + threads + " thread" + (threads == 1 ? "" : "s");
    }

    // ---------------------------------------------------------------- nonlinearities

    /** tanh as a [13/6] rational function on [-7.905, 7.905], clamped outside (Eigen's float version). */
    static float tanh(float v) {
        float x = Math.max(-7.90531110763549805f, Math.min(7.90531110763549805f, v));
        float x2 = x * x;
        float num = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
        num = x2 * num + -8.60467152213735e-11f;
        num = x2 * num + 5.12229709037114e-08f;
        num = x2 * num + 1.48572235717979e-05f;
        num = x2 * num + 6.37261928875436e-04f;
        num = x2 * num + 4.89352455891786e-03f;
        num = x * num;
        float den = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
        den = x2 * den + 2.26843463243900e-03f;
        den = x2 * den + 4.89352518554385e-03f;
        return num / den;
    }

    static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }

    // ---------------------------------------------------------------- one LSTM cell

    /**
     * One timestep of layer {@code l} for one row: z = zIn + x Wx + hPrev Wr (layer 0: {@code zIn} is the
     * token's row of {@code tokenGates} and {@code x} is null; above: {@code zIn} is the bias), the activated
     * gates (i, f, g, o) into {@code z}, c = f cPrev + i g into {@code cOut}, tanh(c) into {@code tcOut},
     * h = o tanh(c) into {@code hOut}. {@code hOut} may be {@code hPrev} and {@code cOut} may be {@code cPrev}.
     */
    private void cell(int l, float[] zIn, float[] x, float[] hPrev, float[] cPrev, float[] z, float[] cOut, float[] tcOut,
                      float[] hOut) {
        final int g4 = gates;
        final int hd = hidden;
        System.arraycopy(zIn, 0, z, 0, g4);
        if (x != null) {
            gemv(x, w.wx[l], z);
        }
        gemv(hPrev, w.wr[l], z);
        for (int j = 0; j < 2 * hd; j++) {
            z[j] = sigmoid(z[j]);
        }
        for (int j = 2 * hd; j < 3 * hd; j++) {
            z[j] = tanh(z[j]);
        }
        for (int j = 3 * hd; j < g4; j++) {
            z[j] = sigmoid(z[j]);
        }
        for (int k = 0; k < hd; k++) {
            float c = z[hd + k] * cPrev[k] + z[k] * z[2 * hd + k];
            cOut[k] = c;
            tcOut[k] = tanh(c);
        }
        for (int k = 0; k < hd; k++) {
            hOut[k] = z[3 * hd + k] * tcOut[k];
        }
    }

    /** The index into {@code tokenGates} / the gradient of token {@code tok}: itself, or {@code vocab} (zero input). */
    private int tokenRow(int tok) {
        return tok >= 0 && tok < vocab && tok != zeroToken ? tok : vocab;
    }

    /** Logits of one position: bo + h Wo, into {@code out[0..V)}. */
    private void output(float[] h, float[] out) {
        System.arraycopy(w.bo, 0, out, 0, vocab);
        for (int k = 0; k < hidden; k++) {
            float hk = h[k];
            float[] row = w.wo[k];
            for (int j = 0; j < out.length; j++) {
                out[j] += hk * row[j];
            }
        }
    }

    // ---------------------------------------------------------------- forward only

    @Override
    Forward forward(int[] inputs, int[] lengths, int steps, int batch, State init, boolean wantState) {
        float[] logits = new float[steps * batch * vocab];
        State last = wantState ? State.zeros(layers, batch, hidden) : null;
        int tasks = Math.min(threads, batch);
        Parallel.run(tasks, task -> {
            float[][] h = new float[layers][hidden];
            float[][] c = new float[layers][hidden];
            float[] z = new float[gates];
            float[] tc = new float[hidden];
            float[] out = new float[vocab];
            for (int b = task; b < batch; b += tasks) {
                int len = lengths == null ? steps : Math.min(steps, lengths[b]);
                for (int l = 0; l < layers; l++) {
                    if (init != null) {
                        System.arraycopy(init.h[l], b * hidden, h[l], 0, hidden);
                        System.arraycopy(init.c[l], b * hidden, c[l], 0, hidden);
                    } else {
                        Arrays.fill(h[l], 0f);
                        Arrays.fill(c[l], 0f);
                    }
                }
                for (int t = 0; t < len; t++) {
                    int n = t * batch + b;
                    float[] x = null;
                    for (int l = 0; l < layers; l++) {
                        cell(l, l == 0 ? w.tokenGates[tokenRow(inputs[n])] : w.bias[l], x, h[l], c[l], z, c[l], tc, h[l]);
                        x = h[l];
                    }
                    output(x, out);
                    System.arraycopy(out, 0, logits, n * vocab, vocab);
                }
                if (last != null) {
                    for (int l = 0; l < layers; l++) {
                        System.arraycopy(h[l], 0, last.h[l], b * hidden, hidden);
                        System.arraycopy(c[l], 0, last.c[l], b * hidden, hidden);
                    }
                }
            }
        });
        return new Forward(logits, last);
    }

    // ---------------------------------------------------------------- training

    /** Per-thread buffers: one row's forward pass (kept for its backward pass) and the thread's gradient. */
    private final class Work {
        final Rows grad = new Rows(false);
        final float[][][] gate;
        final float[][][] cs;
        final float[][][] tcs;
        final float[][][] hs;
        final float[][] dTop;
        final float[][] h0 = new float[layers][hidden];
        final float[][] c0 = new float[layers][hidden];
        final float[][] dhNext = new float[layers][hidden];
        final float[][] dcNext = new float[layers][hidden];
        final float[] dh = new float[hidden];
        final float[][] dx = new float[layers][];
        final float[] logit = new float[vocab];
        /** Per input token: the sum of layer 0's gate gradients at the steps where it was the input. */
        final float[][] dzToken = new float[vocab + 1][gates];
        final float[][] prev;
        double nll;

        Work(int steps) {
            gate = new float[layers][steps][gates];
            cs = new float[layers][steps][hidden];
            tcs = new float[layers][steps][hidden];
            hs = new float[layers][steps][hidden];
            dTop = new float[steps][hidden];
            prev = new float[steps][];
            for (int l = 0; l < layers; l++) {
                dx[l] = new float[inSize[l]];
            }
        }
    }

    @Override
    double[] trainBatch(int[] inputs, int[] targets, int steps, int batch, State init, State[] lastState) {
        float[] grad = new float[p.length];
        double[] r = backprop(inputs, targets, steps, batch, init, lastState, grad);
        applyUpdate(grad);
        return r;
    }

    @Override
    float[] gradient(int[] inputs, int[] targets, int steps, int batch, State init) {
        float[] grad = new float[p.length];
        backprop(inputs, targets, steps, batch, init, null, grad);
        return grad;
    }

    /** Adds the batch's gradient into {@code grad}; returns {sum of -log p, counted targets}. */
    private double[] backprop(int[] inputs, int[] targets, int steps, int batch, State init, State[] lastState, float[] grad) {
        int count = 0;
        for (int t : targets) {
            if (t >= 0) {
                count++;
            }
        }
        float inv = count == 0 ? 0f : 1f / count;
        int[] lengths = lengthsFromTargets(targets, steps, batch);
        State last = lastState != null ? State.zeros(layers, batch, hidden) : null;
        int tasks = Math.min(threads, batch);
        Work[] work = new Work[tasks];
        Parallel.run(tasks, task -> {
            Work wk = new Work(steps);
            work[task] = wk;
            for (int b = task; b < batch; b += tasks) {
                trainRow(wk, b, lengths[b], batch, inputs, targets, init, inv, last);
            }
            tokenGradients(wk);
        });
        if (lastState != null) {
            lastState[0] = last;
        }
        double nll = 0;
        for (int k = 0; k < tasks; k++) { // fixed order: the same sums on every run
            nll += work[k].nll;
            work[k].grad.addTo(grad);
        }
        return new double[]{nll, count};
    }

    private void trainRow(Work wk, int b, int len, int batch, int[] inputs, int[] targets, State init, float inv, State last) {
        final int hd = hidden;
        final int g4 = gates;
        final int top = layers - 1;
        for (int l = 0; l < layers; l++) {
            if (init != null) {
                System.arraycopy(init.h[l], b * hd, wk.h0[l], 0, hd);
                System.arraycopy(init.c[l], b * hd, wk.c0[l], 0, hd);
            } else {
                Arrays.fill(wk.h0[l], 0f);
                Arrays.fill(wk.c0[l], 0f);
            }
        }
        Rows g = wk.grad;
        // forward through all timesteps and layers, with the output layer and the loss at each step
        for (int t = 0; t < len; t++) {
            int n = t * batch + b;
            float[] x = null;
            for (int l = 0; l < layers; l++) {
                float[] hp = t == 0 ? wk.h0[l] : wk.hs[l][t - 1];
                float[] cp = t == 0 ? wk.c0[l] : wk.cs[l][t - 1];
                cell(l, l == 0 ? w.tokenGates[tokenRow(inputs[n])] : w.bias[l], x, hp, cp, wk.gate[l][t], wk.cs[l][t],
                        wk.tcs[l][t], wk.hs[l][t]);
                x = wk.hs[l][t];
            }
            int target = targets[n];
            float[] dTop = wk.dTop[t];
            if (target < 0) {
                Arrays.fill(dTop, 0f);
                continue;
            }
            float[] dl = wk.logit;
            output(x, dl);
            wk.nll += softmaxCrossEntropyRow(dl, 0, vocab, target, inv);
            for (int j = 0; j < vocab; j++) {
                g.bo[j] += dl[j];
            }
            for (int k = 0; k < hd; k++) {
                float[] wo = w.wo[k];
                float[] gwo = g.wo[k];
                float hk = x[k];
                float s = 0f;
                for (int j = 0; j < vocab; j++) {
                    s += dl[j] * wo[j];
                    gwo[j] += hk * dl[j];
                }
                dTop[k] = s;
            }
        }
        if (last != null) {
            for (int l = 0; l < layers; l++) {
                System.arraycopy(len == 0 ? wk.h0[l] : wk.hs[l][len - 1], 0, last.h[l], b * hd, hd);
                System.arraycopy(len == 0 ? wk.c0[l] : wk.cs[l][len - 1], 0, last.c[l], b * hd, hd);
            }
        }
        // backward through time, top layer first at each step; each step's gate gradient dz replaces the
        // gate activations it was computed from (they are not needed again)
        for (int l = 0; l < layers; l++) {
            Arrays.fill(wk.dhNext[l], 0f);
            Arrays.fill(wk.dcNext[l], 0f);
        }
        float[] dh = wk.dh;
        for (int t = len - 1; t >= 0; t--) {
            for (int l = top; l >= 0; l--) {
                float[] above = l == top ? wk.dTop[t] : wk.dx[l + 1];
                float[] dhn = wk.dhNext[l];
                float[] dcn = wk.dcNext[l];
                for (int k = 0; k < hd; k++) {
                    dh[k] = above[k] + dhn[k];
                }
                float[] gt = wk.gate[l][t];
                float[] tcs = wk.tcs[l][t];
                float[] cp = t == 0 ? wk.c0[l] : wk.cs[l][t - 1];
                for (int k = 0; k < hd; k++) {
                    float i = gt[k];
                    float f = gt[hd + k];
                    float gg = gt[2 * hd + k];
                    float o = gt[3 * hd + k];
                    float tc = tcs[k];
                    float dc = dcn[k] + dh[k] * o * (1f - tc * tc);
                    gt[k] = dc * gg * i * (1f - i);
                    gt[hd + k] = dc * cp[k] * f * (1f - f);
                    gt[2 * hd + k] = dc * i * (1f - gg * gg);
                    gt[3 * hd + k] = dh[k] * tc * o * (1f - o);
                    dcn[k] = dc * f;
                }
                float[] dz = gt;
                if (l > 0) { // dx = dz Wx^T, to the layer below
                    float[] dx = wk.dx[l];
                    Arrays.fill(dx, 0f);
                    gemv(dz, w.wxT[l], dx);
                } else { // layer 0's input is a token: its weight and embedding gradients follow from the sum per token
                    float[] acc = wk.dzToken[tokenRow(inputs[t * batch + b])];
                    for (int j = 0; j < g4; j++) {
                        acc[j] += dz[j];
                    }
                }
                Arrays.fill(dhn, 0f); // dhPrev = dz Wr^T
                gemv(dz, w.wrT[l], dhn);
            }
        }
        // weight gradients of the whole row at once: each gradient row stays in L1 while the steps stream by
        for (int l = 0; l < layers; l++) {
            float[][] dzs = wk.gate[l];
            float[] gb = g.bias[l];
            for (int t = 0; t < len; t++) {
                float[] dz = dzs[t];
                for (int j = 0; j < g4; j++) {
                    gb[j] += dz[j];
                }
            }
            float[][] prev = wk.prev;
            for (int t = 0; t < len; t++) {
                prev[t] = t == 0 ? wk.h0[l] : wk.hs[l][t - 1];
            }
            outerSum(prev, dzs, len, g.wr[l]);
            if (l > 0) {
                outerSum(wk.hs[l - 1], dzs, len, g.wx[l]);
            }
        }
    }

    /**
     * Layer 0's input weight and embedding gradients from the per-token sums of its gate gradients:
     * dWx += emb[tok] (outer) sum, dEmb[tok] += sum Wx^T; then clears the sums.
     */
    private void tokenGradients(Work wk) {
        float[][] gwx = wk.grad.wx[0];
        float[][] wt = w.wxT[0];
        for (int tok = 0; tok < vocab; tok++) {
            float[] sum = wk.dzToken[tok];
            if (tok == zeroToken || allZero(sum)) {
                continue;
            }
            float[] e = w.emb[tok];
            for (int a = 0; a < embed; a++) {
                float xa = e[a];
                if (xa != 0f) {
                    float[] row = gwx[a];
                    for (int j = 0; j < gates; j++) {
                        row[j] += xa * sum[j];
                    }
                }
            }
            gemv(sum, wt, wk.grad.emb[tok]);
        }
        for (float[] sum : wk.dzToken) {
            Arrays.fill(sum, 0f);
        }
    }

    /**
     * {@code z += x W} with W as row arrays ({@code x.length} rows of {@code z.length}): four rows per pass,
     * so z is loaded and stored once per four multiply-adds (measured 2-2.7x the one-row loop).
     */
    static void gemv(float[] x, float[][] rows, float[] z) {
        int n = x.length;
        int m = z.length;
        int a = 0;
        for (; a + 3 < n; a += 4) {
            float x0 = x[a];
            float x1 = x[a + 1];
            float x2 = x[a + 2];
            float x3 = x[a + 3];
            float[] r0 = rows[a];
            float[] r1 = rows[a + 1];
            float[] r2 = rows[a + 2];
            float[] r3 = rows[a + 3];
            for (int j = 0; j < m; j++) {
                z[j] += x0 * r0[j] + x1 * r1[j] + x2 * r2[j] + x3 * r3[j];
            }
        }
        for (; a < n; a++) {
            float xa = x[a];
            float[] r = rows[a];
            for (int j = 0; j < m; j++) {
                z[j] += xa * r[j];
            }
        }
    }

    /** {@code g[k] += sum over t < len of x[t][k] * d[t]} for every k (the weight gradient of one sequence). */
    private static void outerSum(float[][] x, float[][] d, int len, float[][] g) {
        for (int k = 0; k < g.length; k++) {
            float[] row = g[k];
            int m = row.length;
            int t = 0;
            for (; t + 3 < len; t += 4) {
                float x0 = x[t][k];
                float x1 = x[t + 1][k];
                float x2 = x[t + 2][k];
                float x3 = x[t + 3][k];
                float[] d0 = d[t];
                float[] d1 = d[t + 1];
                float[] d2 = d[t + 2];
                float[] d3 = d[t + 3];
                for (int j = 0; j < m; j++) {
                    row[j] += x0 * d0[j] + x1 * d1[j] + x2 * d2[j] + x3 * d3[j];
                }
            }
            for (; t < len; t++) {
                float xt = x[t][k];
                float[] dt = d[t];
                for (int j = 0; j < m; j++) {
                    row[j] += xt * dt[j];
                }
            }
        }
    }

    private static boolean allZero(float[] a) {
        for (float v : a) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }

    /** Global-norm clipping, then Adam (the update ND4J's AdamUpdater makes, in float). */
    private void applyUpdate(float[] grad) {
        double sq = 0;
        for (float g : grad) {
            sq += (double) g * g;
        }
        double norm = Math.sqrt(sq);
        if (clipNorm > 0 && norm > clipNorm) {
            float s = (float) (clipNorm / norm);
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= s;
            }
        }
        if (adamM == null) {
            adamM = new float[p.length];
            adamV = new float[p.length];
        }
        iteration++;
        double b1t = Math.pow(ADAM_B1, iteration);
        double b2t = Math.pow(ADAM_B2, iteration);
        float alpha = (float) (learningRate * Math.sqrt(1 - b2t) / (1 - b1t));
        float[] m = adamM;
        float[] v = adamV;
        for (int i = 0; i < p.length; i++) {
            float g = grad[i];
            float mi = ADAM_B1 * m[i] + (1 - ADAM_B1) * g;
            float vi = ADAM_B2 * v[i] + (1 - ADAM_B2) * g * g;
            m[i] = mi;
            v[i] = vi;
            p[i] -= alpha * mi / ((float) Math.sqrt(vi) + ADAM_EPS);
        }
        w.unpack(p);
    }
}
