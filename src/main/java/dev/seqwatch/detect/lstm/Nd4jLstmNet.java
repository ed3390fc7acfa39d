package dev.seqwatch.detect.lstm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.util.SplittableRandom;

/**
 * The ND4J engine of {@link LstmNet} (used on the CUDA backend, or with {@code -Dseqwatch.lstm.engine=nd4j}).
 *
 * <p>Why not a DL4J {@code MultiLayerNetwork}: measured on the 2-core machines it runs at about a fifth
 * of PyTorch's speed for this shape (per-timestep Java-side gate arithmetic, masks and workspaces). Here
 * every LSTM layer is ONE native call per batch: libnd4j's fused {@code lstmLayer} op for the forward pass
 * and {@code lstmLayer_bp} for the backward pass (gates fused, one gemm per timestep over the whole
 * batch), time-major {@code [T, B, n]} so each timestep is a contiguous block. Embedding lookup, its
 * gradient and the softmax/cross-entropy run as plain loops over float arrays (vocabularies are small);
 * the output projection is one gemm over all {@code T*B} positions. The same ops exist in the CUDA backend.
 *
 * <p>Padding is always at the end of a sequence: the LSTM is causal, so padded steps never change the
 * outputs of real steps, and a zero loss mask at padded targets makes their gradients zero. No per-example
 * sequence-length input is passed (libnd4j then loops example by example, which is much slower).
 *
 * <p>Parameters live in one flat float vector (views per weight) so saving, loading and the Adam
 * update (ND4J's {@link AdamUpdater}) each touch a single array.
 */
final class Nd4jLstmNet extends LstmNet {
    private final INDArray params;
    private final INDArray grads;
    private final INDArray emb;
    private final INDArray[] wx;
    private final INDArray[] wr;
    private final INDArray[] bias;
    private final INDArray wo;
    private final INDArray bo;
    private final INDArray gEmb;
    private final INDArray[] gWx;
    private final INDArray[] gWr;
    private final INDArray[] gB;
    private final INDArray gWo;
    private final INDArray gBo;

    /** Nanoseconds per training phase (embed, lstm forward, output+loss, lstm backward, embedding grad, update). */
    static final long[] PHASE_NANOS = new long[6];
    static final String[] PHASES = {"embed", "lstm_fwd", "output_loss", "lstm_bp", "embed_grad", "update"};

    private AdamUpdater adam;
    private int iteration;

    Nd4jLstmNet(int vocab, int embed, int hidden, int layers, int zeroToken) {
        super(vocab, embed, hidden, layers, zeroToken);
        long n = parameterCount(vocab, embed, hidden, layers);
        params = Nd4j.create(DataType.FLOAT, n);
        grads = Nd4j.create(DataType.FLOAT, n);
        wx = new INDArray[layers];
        wr = new INDArray[layers];
        bias = new INDArray[layers];
        gWx = new INDArray[layers];
        gWr = new INDArray[layers];
        gB = new INDArray[layers];
        long off = 0;
        emb = view(params, off, vocab, embed);
        gEmb = view(grads, off, vocab, embed);
        off += (long) vocab * embed;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? embed : hidden;
            wx[l] = view(params, off, in, 4 * hidden);
            gWx[l] = view(grads, off, in, 4 * hidden);
            off += (long) in * 4 * hidden;
            wr[l] = view(params, off, hidden, 4 * hidden);
            gWr[l] = view(grads, off, hidden, 4 * hidden);
            off += (long) hidden * 4 * hidden;
            bias[l] = params.get(NDArrayIndex.interval(off, off + 4L * hidden));
            gB[l] = grads.get(NDArrayIndex.interval(off, off + 4L * hidden));
            off += 4L * hidden;
        }
        wo = view(params, off, hidden, vocab);
        gWo = view(grads, off, hidden, vocab);
        off += (long) hidden * vocab;
        bo = params.get(NDArrayIndex.interval(off, off + vocab));
        gBo = grads.get(NDArrayIndex.interval(off, off + vocab));
    }

    /** The values of {@code a} in 'c' order as a fresh Java array. */
    static float[] floats(INDArray a) {
        INDArray c = a.isView() || a.offset() != 0 || a.ordering() != 'c' || a.data().length() != a.length() ? a.dup('c') : a;
        return c.data().asFloat();
    }

    private static INDArray view(INDArray flat, long off, int rows, int cols) {
        return flat.get(NDArrayIndex.interval(off, off + (long) rows * cols)).reshape('c', rows, cols);
    }

    @Override
    float[] parameters() {
        return floats(params);
    }

    @Override
    void setParameters(float[] p) {
        if (p.length != params.length()) {
            throw new IllegalArgumentException("expected " + params.length() + " parameters, got " + p.length);
        }
        params.assign(Nd4j.createFromArray(p));
    }

    private INDArray embedInputs(int[] inputs, int steps, int batch) {
        float[] table = floats(emb);
        float[] x = new float[steps * batch * embed];
        for (int i = 0; i < inputs.length; i++) {
            int tok = inputs[i];
            if (tok >= 0 && tok < vocab && tok != zeroToken) {
                System.arraycopy(table, tok * embed, x, i * embed, embed);
            }
        }
        return Nd4j.create(x, new long[]{steps, batch, embed}, 'c');
    }

    @Override
    void resetOptimiser() {
        adam = null;
        iteration = 0;
    }

    @Override
    String describe() {
        return "nd4j lstmLayer ops, " + LstmBackend.describe();
    }

    private static INDArray[] nd(float[][] rows, int batch, int hidden) {
        if (rows == null) {
            return null;
        }
        INDArray[] out = new INDArray[rows.length];
        for (int l = 0; l < rows.length; l++) {
            out[l] = Nd4j.create(rows[l], new long[]{batch, hidden}, 'c');
        }
        return out;
    }

    private State state(INDArray[] h, INDArray[] c, int batch) {
        float[][] hs = new float[layers][];
        float[][] cs = new float[layers][];
        for (int l = 0; l < layers; l++) {
            hs[l] = floats(h[l]);
            cs[l] = floats(c[l]);
        }
        return new State(hs, cs, batch, hidden);
    }

    /** {@code lengths} is not used: every row runs all {@code steps} (padding is causal and never read). */
    @Override
    Forward forward(int[] inputs, int[] lengths, int steps, int batch, State initState, boolean wantState) {
        INDArray[] initH = initState == null ? null : nd(initState.h, batch, hidden);
        INDArray[] initC = initState == null ? null : nd(initState.c, batch, hidden);
        INDArray x = embedInputs(inputs, steps, batch);
        INDArray[] lastH = wantState ? new INDArray[layers] : null;
        INDArray[] lastC = wantState ? new INDArray[layers] : null;
        for (int l = 0; l < layers; l++) {
            INDArray h = Nd4j.create(DataType.FLOAT, steps, batch, hidden);
            INDArray hL = wantState ? Nd4j.create(DataType.FLOAT, batch, hidden) : null;
            INDArray cL = wantState ? Nd4j.create(DataType.FLOAT, batch, hidden) : null;
            Nd4j.exec(lstmForward(x, l, initH == null ? null : initH[l], initC == null ? null : initC[l], h, hL, cL));
            if (wantState) {
                lastH[l] = hL;
                lastC[l] = cL;
            }
            x = h;
        }
        INDArray logits = x.reshape('c', (long) steps * batch, hidden).mmul(wo).addiRowVector(bo);
        return new Forward(floats(logits), wantState ? state(lastH, lastC, batch) : null);
    }

    private DynamicCustomOp lstmForward(INDArray x, int l, INDArray hI, INDArray cI, INDArray h, INDArray hL, INDArray cL) {
        DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder("lstmLayer");
        b.addInputs(hI != null ? new INDArray[]{x, wx[l], wr[l], bias[l], hI, cI} : new INDArray[]{x, wx[l], wr[l], bias[l]});
        b.addOutputs(hL != null ? new INDArray[]{h, hL, cL} : new INDArray[]{h});
        // dataFormat 0 = [T,B,n], forward direction, sigmoid gates, tanh cell and output
        b.addIntegerArguments(0, 0, 2, 0, 0);
        b.addFloatingPointArguments(0.0);
        b.addBooleanArguments(true, false, hI != null, cI != null, false, true, hL != null, cL != null);
        return b.build();
    }

    @Override
    double[] trainBatch(int[] inputs, int[] targets, int steps, int batch, State initState, State[] lastState) {
        double[] r = backprop(inputs, targets, steps, batch, initState, lastState);
        long t5 = System.nanoTime();
        applyUpdate();
        PHASE_NANOS[5] += System.nanoTime() - t5;
        return r;
    }

    @Override
    float[] gradient(int[] inputs, int[] targets, int steps, int batch, State initState) {
        backprop(inputs, targets, steps, batch, initState, null);
        return floats(grads);
    }

    /** Fills {@code grads}; returns {sum of -log p, counted targets}. */
    private double[] backprop(int[] inputs, int[] targets, int steps, int batch, State initState, State[] lastState) {
        int n = steps * batch;
        INDArray[] initH = initState == null ? null : nd(initState.h, batch, hidden);
        INDArray[] initC = initState == null ? null : nd(initState.c, batch, hidden);
        boolean hasInit = initState != null;
        INDArray[] xs = new INDArray[layers + 1];
        long t0 = System.nanoTime();
        xs[0] = embedInputs(inputs, steps, batch);
        long t1 = System.nanoTime();
        PHASE_NANOS[0] += t1 - t0;
        INDArray[] lastH = lastState != null ? new INDArray[layers] : null;
        INDArray[] lastC = lastState != null ? new INDArray[layers] : null;
        for (int l = 0; l < layers; l++) {
            xs[l + 1] = Nd4j.create(DataType.FLOAT, steps, batch, hidden);
            INDArray hL = lastState != null ? Nd4j.create(DataType.FLOAT, batch, hidden) : null;
            INDArray cL = lastState != null ? Nd4j.create(DataType.FLOAT, batch, hidden) : null;
            Nd4j.exec(lstmForward(xs[l], l, hasInit ? initH[l] : null, hasInit ? initC[l] : null, xs[l + 1], hL, cL));
            if (lastState != null) {
                lastH[l] = hL;
                lastC[l] = cL;
            }
        }
        if (lastState != null) {
            lastState[0] = state(lastH, lastC, batch);
        }
        long t2 = System.nanoTime();
        PHASE_NANOS[1] += t2 - t1;
        INDArray hFlat = xs[layers].reshape('c', n, hidden);
        INDArray logits = hFlat.mmul(wo).addiRowVector(bo);
        float[] z = floats(logits);
        // softmax cross-entropy, mean over counted targets; z becomes dLoss/dlogits in place
        int count = 0;
        for (int t : targets) {
            if (t >= 0) {
                count++;
            }
        }
        float inv = count == 0 ? 0f : 1f / count;
        double nll = softmaxCrossEntropy(z, targets, n, vocab, inv);
        INDArray dLogits = Nd4j.create(z, new long[]{n, vocab}, 'c');
        gWo.assign(hFlat.transpose().mmul(dLogits));
        gBo.assign(dLogits.sum(0));
        INDArray dh = dLogits.mmul(wo.transpose()).reshape('c', steps, batch, hidden);
        long t3 = System.nanoTime();
        PHASE_NANOS[2] += t3 - t2;
        for (int l = layers - 1; l >= 0; l--) {
            int in = l == 0 ? embed : hidden;
            INDArray dx = Nd4j.create(DataType.FLOAT, steps, batch, in);
            INDArray dWx = Nd4j.create(DataType.FLOAT, in, 4 * hidden);
            INDArray dWr = Nd4j.create(DataType.FLOAT, hidden, 4 * hidden);
            INDArray dB = Nd4j.create(DataType.FLOAT, 4 * hidden);
            DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder("lstmLayer_bp");
            if (hasInit) {
                b.addInputs(xs[l], wx[l], wr[l], bias[l], initH[l], initC[l], dh);
                b.addOutputs(dx, dWx, dWr, dB, Nd4j.create(DataType.FLOAT, batch, hidden),
                        Nd4j.create(DataType.FLOAT, batch, hidden));
            } else {
                b.addInputs(xs[l], wx[l], wr[l], bias[l], dh);
                b.addOutputs(dx, dWx, dWr, dB);
            }
            b.addIntegerArguments(0, 0, 2, 0, 0);
            b.addFloatingPointArguments(0.0);
            b.addBooleanArguments(true, false, hasInit, hasInit, false, true, false, false);
            Nd4j.exec(b.build());
            gWx[l].assign(dWx);
            gWr[l].assign(dWr);
            gB[l].assign(dB);
            dh = dx;
        }
        long t4 = System.nanoTime();
        PHASE_NANOS[3] += t4 - t3;
        // embedding gradient: scatter-add of dL/dx rows (padding rows are zero anyway)
        float[] dx = floats(dh);
        float[] ge = new float[vocab * embed];
        for (int i = 0; i < inputs.length; i++) {
            int tok = inputs[i];
            if (tok >= 0 && tok < vocab && tok != zeroToken) {
                int src = i * embed;
                int dst = tok * embed;
                for (int j = 0; j < embed; j++) {
                    ge[dst + j] += dx[src + j];
                }
            }
        }
        gEmb.assign(Nd4j.create(ge, new long[]{vocab, embed}, 'c'));
        long t5 = System.nanoTime();
        PHASE_NANOS[4] += t5 - t4;
        return new double[]{nll, count};
    }

    private void applyUpdate() {
        double norm = grads.norm2Number().doubleValue();
        if (clipNorm > 0 && norm > clipNorm) {
            grads.muli(clipNorm / norm);
        }
        if (adam == null) {
            adam = new AdamUpdater(new Adam(learningRate));
            INDArray state = Nd4j.zeros(DataType.FLOAT, 2 * params.length());
            adam.setStateViewArray(state, params.shape(), 'c', true);
        }
        adam.applyUpdater(grads, iteration++, 0);
        params.subi(grads);
    }
}
