package dev.seqwatch.detect.lstm;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Embedding -> L stacked LSTM layers -> dense softmax over the next token: the network behind the LSTM
 * detector, with two interchangeable engines that hold the same parameters in the same flat layout
 * (so a model file trained by one loads into the other and gives the same scores):
 * <ul>
 *   <li>{@link JavaLstmNet}, the CPU engine: one fused pass per sequence (all layers, all timesteps, the
 *   output layer and the loss), sequences spread over the cores, padded steps skipped;</li>
 *   <li>{@link Nd4jLstmNet}, the ND4J engine (libnd4j's fused {@code lstmLayer} / {@code lstmLayer_bp}
 *   ops), used on the CUDA backend.</li>
 * </ul>
 *
 * <p>Layout of the parameter vector: embeddings {@code [V, E]}; per layer input weights {@code [in, 4H]},
 * recurrent weights {@code [H, 4H]}, bias {@code [4H]} (gate blocks in the order input, forget, cell,
 * output, as libnd4j's lstmLayer reads them); output weights {@code [H, V]}, output bias {@code [V]}; all
 * row-major. Inputs and targets are time-major: position {@code t * batch + b}.
 */
abstract class LstmNet {
    /** Token code that never contributes to the loss (padding, or no target). */
    static final int NO_TARGET = -1;

    /** Which engine {@link #create} builds: {@code -Dseqwatch.lstm.engine=java|nd4j}, default by backend. */
    static final String ENGINE_PROPERTY = "seqwatch.lstm.engine";

    final int vocab;
    final int embed;
    final int hidden;
    final int layers;
    /** Input token whose embedding is fixed at zero (unseen actions), or -1. */
    final int zeroToken;

    double learningRate = 1e-3;
    double clipNorm = 5.0;

    LstmNet(int vocab, int embed, int hidden, int layers, int zeroToken) {
        if (vocab < 1 || embed < 1 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("bad LSTM shape " + vocab + "/" + embed + "/" + hidden + "/" + layers);
        }
        this.vocab = vocab;
        this.embed = embed;
        this.hidden = hidden;
        this.layers = layers;
        this.zeroToken = zeroToken;
    }

    /** The engine for this machine: ND4J's on a CUDA backend, the Java kernels on the CPU (see class doc). */
    static LstmNet create(int vocab, int embed, int hidden, int layers, int zeroToken) {
        return "nd4j".equals(engineName())
                ? new Nd4jLstmNet(vocab, embed, hidden, layers, zeroToken)
                : new JavaLstmNet(vocab, embed, hidden, layers, zeroToken);
    }

    /** "java" or "nd4j": the property if set, otherwise nd4j exactly when the ND4J backend is CUDA. */
    static String engineName() {
        String p = System.getProperty(ENGINE_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        if (p.equals("java") || p.equals("nd4j")) {
            return p;
        }
        if (!p.isEmpty()) {
            throw new IllegalArgumentException("-D" + ENGINE_PROPERTY + " must be java or nd4j, not " + p);
        }
        return LstmBackend.isCuda() ? "nd4j" : "java";
    }

    static long parameterCount(int vocab, int embed, int hidden, int layers) {
        long n = (long) vocab * embed;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? embed : hidden;
            n += (long) in * 4 * hidden + (long) hidden * 4 * hidden + 4L * hidden;
        }
        return n + (long) hidden * vocab + vocab;
    }

    long parameterCount() {
        return parameterCount(vocab, embed, hidden, layers);
    }

    /** Offset of layer {@code l}'s input weights in the parameter vector (recurrent weights and bias follow). */
    final int layerOffset(int l) {
        long off = (long) vocab * embed;
        for (int k = 0; k < l; k++) {
            int in = k == 0 ? embed : hidden;
            off += (long) in * 4 * hidden + (long) hidden * 4 * hidden + 4L * hidden;
        }
        return Math.toIntExact(off);
    }

    /** Offset of the output weights {@code [H, V]} (the output bias follows). */
    final int outputOffset() {
        return layerOffset(layers);
    }

    /** PyTorch-like initialisation from {@code seed}: embeddings N(0,1), the rest U(-1/sqrt(H), 1/sqrt(H)). */
    void initialise(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[Math.toIntExact(parameterCount())];
        int nEmb = vocab * embed;
        for (int i = 0; i < nEmb; i++) {
            p[i] = (float) gaussian(r);
        }
        double k = 1.0 / Math.sqrt(hidden);
        for (int i = nEmb; i < p.length; i++) {
            p[i] = (float) ((r.nextDouble() * 2 - 1) * k);
        }
        if (zeroToken >= 0) {
            Arrays.fill(p, zeroToken * embed, (zeroToken + 1) * embed, 0f);
        }
        setParameters(p);
        resetOptimiser();
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    void setLearningRate(double lr) {
        this.learningRate = lr;
        resetOptimiser();
    }

    /** A copy of all parameters in the layout of the class doc. */
    abstract float[] parameters();

    abstract void setParameters(float[] p);

    /** Forgets the optimiser's moments and step count (a fresh Adam). */
    abstract void resetOptimiser();

    /** Short description for benchmarks and model files, e.g. "java kernels, 2 threads". */
    abstract String describe();

    /**
     * Forward only. {@code inputs} is time-major {@code [T*B]}; {@code lengths} (may be null = all T) gives
     * per batch row how many leading timesteps are real: later steps are padding, an engine may skip them,
     * and their logits are unspecified. {@code init} may be null (zeros). With {@code wantState} the state
     * after the last timestep is returned (for rows padded at the end it is engine-specific: do not use it).
     */
    abstract Forward forward(int[] inputs, int[] lengths, int steps, int batch, State init, boolean wantState);

    /**
     * One Adam step on a batch (loss = mean cross-entropy over counted targets, gradient clipped to a
     * global norm of 5). {@code targets} is time-major {@code [T*B]} with {@link #NO_TARGET} where there is
     * nothing to predict. {@code lastState} (if not null, length 1) receives the detached final state for
     * truncated backpropagation through time.
     *
     * @return {sum of -log p over counted targets, number of counted targets}
     */
    abstract double[] trainBatch(int[] inputs, int[] targets, int steps, int batch, State init, State[] lastState);

    /** The gradient of the batch's mean loss (before clipping), without changing the network: for tests. */
    abstract float[] gradient(int[] inputs, int[] targets, int steps, int batch, State init);

    /** Per batch row: 1 + the last timestep that has a target (0 if none). Later steps are padding. */
    static int[] lengthsFromTargets(int[] targets, int steps, int batch) {
        int[] len = new int[batch];
        for (int t = steps - 1; t >= 0; t--) {
            for (int b = 0; b < batch; b++) {
                if (len[b] == 0 && targets[t * batch + b] >= 0) {
                    len[b] = t + 1;
                }
            }
        }
        return len;
    }

    /** Output of a forward pass: logits {@code [T*B, V]} time-major (row t*B+b) and the final state. */
    record Forward(float[] logits, State last) {
    }

    /** LSTM state of a batch: per layer h and c, each {@code [B*H]} row-major. */
    static final class State {
        final float[][] h;
        final float[][] c;
        final int batch;
        final int hidden;

        State(float[][] h, float[][] c, int batch, int hidden) {
            this.h = h;
            this.c = c;
            this.batch = batch;
            this.hidden = hidden;
        }

        static State zeros(int layers, int batch, int hidden) {
            float[][] h = new float[layers][batch * hidden];
            float[][] c = new float[layers][batch * hidden];
            return new State(h, c, batch, hidden);
        }

        /** Rows {@code rows} of this state (for continuing a subset of the batch). */
        State rows(int[] rows) {
            State s = zeros(h.length, rows.length, hidden);
            for (int l = 0; l < h.length; l++) {
                for (int i = 0; i < rows.length; i++) {
                    System.arraycopy(h[l], rows[i] * hidden, s.h[l], i * hidden, hidden);
                    System.arraycopy(c[l], rows[i] * hidden, s.c[l], i * hidden, hidden);
                }
            }
            return s;
        }

        /** Per layer h then c, for a one-row state. */
        float[][] toArrays() {
            float[][] out = new float[2 * h.length][];
            for (int l = 0; l < h.length; l++) {
                out[2 * l] = h[l].clone();
                out[2 * l + 1] = c[l].clone();
            }
            return out;
        }

        static State fromArrays(float[][] a, int hidden) {
            int layers = a.length / 2;
            float[][] h = new float[layers][];
            float[][] c = new float[layers][];
            for (int l = 0; l < layers; l++) {
                h[l] = a[2 * l].clone();
                c[l] = a[2 * l + 1].clone();
            }
            return new State(h, c, h[0].length / hidden, hidden);
        }
    }

    /**
     * Softmax cross-entropy over {@code rows} rows of logits, mean over counted targets: replaces {@code z} by
     * dLoss/dlogits in place (zero rows where there is no target) and returns the summed -log p.
     */
    static double softmaxCrossEntropy(float[] z, int[] targets, int rows, int vocab, float invCount) {
        double nll = 0;
        for (int i = 0; i < rows; i++) {
            nll += softmaxCrossEntropyRow(z, i * vocab, vocab, targets[i], invCount);
        }
        return nll;
    }

    /** One row of {@link #softmaxCrossEntropy}: returns -log p(target), 0 without a target. */
    static double softmaxCrossEntropyRow(float[] z, int off, int vocab, int target, float invCount) {
        if (target < 0) {
            Arrays.fill(z, off, off + vocab, 0f);
            return 0;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, z[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            float e = (float) Math.exp(z[off + j] - max);
            z[off + j] = e;
            sum += e;
        }
        double nll = -Math.log(z[off + target] / sum);
        float s = (float) (1.0 / sum) * invCount;
        for (int j = 0; j < vocab; j++) {
            z[off + j] *= s;
        }
        z[off + target] -= invCount;
        return nll;
    }
}
