package dev.seqwatch.detect.lstm;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Java kernels compute the same network as libnd4j's lstmLayer ops (same parameter layout, same gate
 * order), and their backward pass is the derivative of their forward pass.
 */
class LstmEnginesTest {
    private static final int V = 7;
    private static final int E = 5;
    private static final int H = 6;
    private static final int L = 2;
    private static final int ZERO = 6;

    @Test
    void fastTanhIsCloseToMathTanhEverywhere() {
        double worst = 0;
        for (double x = -30; x <= 30; x += 1e-3) {
            worst = Math.max(worst, Math.abs(JavaLstmNet.tanh((float) x) - Math.tanh((float) x)));
        }
        assertThat(worst).isLessThan(1e-6);
        assertThat(JavaLstmNet.tanh(Float.POSITIVE_INFINITY)).isEqualTo(1f, within(1e-6f));
        assertThat(JavaLstmNet.sigmoid(-100f)).isBetween(0f, 1e-6f);
        assertThat(JavaLstmNet.sigmoid(0f)).isEqualTo(0.5f);
    }

    private static int[] tokens(SplittableRandom r, int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(V); // includes the zero-embedding token
        }
        return t;
    }

    private static LstmNet.State randomState(SplittableRandom r, int batch) {
        LstmNet.State s = LstmNet.State.zeros(L, batch, H);
        for (int l = 0; l < L; l++) {
            for (int i = 0; i < batch * H; i++) {
                s.h[l][i] = (float) (r.nextDouble() - 0.5);
                s.c[l][i] = (float) (r.nextDouble() * 2 - 1);
            }
        }
        return s;
    }

    @Test
    void javaAndNd4jEnginesGiveTheSameLogitsAndState() {
        SplittableRandom r = new SplittableRandom(11);
        int steps = 9;
        int batch = 5;
        JavaLstmNet java = new JavaLstmNet(V, E, H, L, ZERO);
        Nd4jLstmNet nd4j = new Nd4jLstmNet(V, E, H, L, ZERO);
        java.initialise(3);
        nd4j.setParameters(java.parameters());
        int[] in = tokens(r, steps * batch);
        LstmNet.State init = randomState(r, batch);
        LstmNet.Forward a = java.forward(in, null, steps, batch, init, true);
        LstmNet.Forward b = nd4j.forward(in, null, steps, batch, init, true);
        assertClose(a.logits(), b.logits(), 2e-5);
        for (int l = 0; l < L; l++) {
            assertClose(a.last().h[l], b.last().h[l], 2e-5);
            assertClose(a.last().c[l], b.last().c[l], 2e-5);
        }
        // rows padded at the end: the real steps' logits do not change when the padding is skipped
        int[] lengths = {9, 4, 1, 0, 7};
        LstmNet.Forward c = java.forward(in, lengths, steps, batch, init, false);
        for (int bb = 0; bb < batch; bb++) {
            for (int t = 0; t < lengths[bb]; t++) {
                int off = (t * batch + bb) * V;
                assertClose(Arrays.copyOfRange(c.logits(), off, off + V), Arrays.copyOfRange(b.logits(), off, off + V), 2e-5);
            }
        }
    }

    @Test
    void javaGradientMatchesNd4jAndFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(5);
        int steps = 6;
        int batch = 4;
        JavaLstmNet java = new JavaLstmNet(V, E, H, L, ZERO);
        Nd4jLstmNet nd4j = new Nd4jLstmNet(V, E, H, L, ZERO);
        java.initialise(9);
        nd4j.setParameters(java.parameters());
        int[] in = tokens(r, steps * batch);
        int[] tg = tokens(r, steps * batch);
        for (int i = 0; i < tg.length; i++) {
            if (tg[i] == ZERO) {
                tg[i] = LstmNet.NO_TARGET; // some positions without a target, mid-sequence too
            }
        }
        tg[(steps - 1) * batch + 2] = LstmNet.NO_TARGET; // row 2 ends one step early: padding
        tg[(steps - 2) * batch + 2] = LstmNet.NO_TARGET;
        LstmNet.State init = randomState(r, batch);
        float[] gj = java.gradient(in, tg, steps, batch, init);
        float[] gn = nd4j.gradient(in, tg, steps, batch, init);
        assertClose(gj, gn, 2e-5);
        assertThat(norm(gj)).isGreaterThan(1e-3);

        // central differences of the mean loss on a sample of parameters (in double through the float net)
        float[] p = java.parameters();
        int checked = 0;
        for (int i = 0; i < p.length; i += 3) {
            if (i >= ZERO * E && i < (ZERO + 1) * E) {
                continue; // the fixed zero embedding has no gradient
            }
            float h = 1e-2f;
            float[] q = p.clone();
            q[i] = p[i] + h;
            double up = meanLoss(q, in, tg, steps, batch, init);
            q[i] = p[i] - h;
            double down = meanLoss(q, in, tg, steps, batch, init);
            double numeric = (up - down) / (2 * h);
            assertThat((double) gj[i]).as("parameter %d", i).isCloseTo(numeric, within(2e-3 + 0.02 * Math.abs(numeric)));
            checked++;
        }
        assertThat(checked).isGreaterThan(100);
    }

    private static double meanLoss(float[] params, int[] in, int[] tg, int steps, int batch, LstmNet.State init) {
        JavaLstmNet n = new JavaLstmNet(V, E, H, L, ZERO);
        n.setParameters(params);
        float[] z = n.forward(in, null, steps, batch, init, false).logits();
        double sum = 0;
        int count = 0;
        for (int i = 0; i < tg.length; i++) {
            if (tg[i] >= 0) {
                sum += StepScorer.surprisal(z, i * V, V, tg[i]);
                count++;
            }
        }
        return sum / count;
    }

    @Test
    void trainingIsReproducibleAndLearns() {
        SplittableRandom r = new SplittableRandom(2);
        int steps = 20;
        int batch = 8;
        int[] in = new int[steps * batch];
        int[] tg = new int[steps * batch];
        for (int b = 0; b < batch; b++) { // a fixed cycle 0,1,2,3,0,1,... with a random phase per row
            int phase = r.nextInt(4);
            for (int t = 0; t < steps; t++) {
                in[t * batch + b] = (phase + t) % 4;
                tg[t * batch + b] = (phase + t + 1) % 4;
            }
        }
        float[][] finals = new float[2][];
        double[] first = new double[2];
        double[] last = new double[2];
        for (int run = 0; run < 2; run++) {
            JavaLstmNet n = new JavaLstmNet(V, E, H, L, ZERO);
            n.initialise(4);
            n.setLearningRate(0.05);
            for (int i = 0; i < 60; i++) {
                double[] res = n.trainBatch(in, tg, steps, batch, null, null);
                if (i == 0) {
                    first[run] = res[0] / res[1];
                }
                last[run] = res[0] / res[1];
            }
            finals[run] = n.parameters();
        }
        assertThat(finals[1]).containsExactly(finals[0]);
        assertThat(first[0]).isGreaterThan(1.5);
        assertThat(last[0]).isLessThan(0.1);
    }

    private static double norm(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static void assertClose(float[] a, float[] b, double tol) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            assertThat((double) a[i]).as("element %d", i).isCloseTo(b[i], within(tol + tol * Math.abs(b[i])));
        }
    }
}
