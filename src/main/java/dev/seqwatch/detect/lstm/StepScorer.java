package dev.seqwatch.detect.lstm;

/** Log-softmax over logit rows: surprisal of the actual token and the model's top-k expectations. */
public final class StepScorer {
    private StepScorer() {
    }

    /** Sum of -log p(target) over rows with a target (>= 0). Rows are {@code vocab} logits each. */
    static double sumNll(float[] logits, int[] targets, int vocab) {
        double s = 0;
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] >= 0) {
                s += surprisal(logits, i * vocab, vocab, targets[i]);
            }
        }
        return s;
    }

    static double logSumExp(float[] z, int off, int vocab) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, z[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            sum += Math.exp(z[off + j] - max);
        }
        return max + Math.log(sum);
    }

    /** -log p(token) for the row at {@code off}. */
    public static double surprisal(float[] z, int off, int vocab, int token) {
        return logSumExp(z, off, vocab) - z[off + token];
    }

    /** -log of the smallest probability in the row: the most surprising known token. */
    public static double maxSurprisal(float[] z, int off, int vocab, int excluded) {
        float min = Float.POSITIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            if (j != excluded) {
                min = Math.min(min, z[off + j]);
            }
        }
        return logSumExp(z, off, vocab) - min;
    }

    /**
     * Rank of {@code token} in the row (1 = most likely): one plus the number of other tokens (never
     * {@code excluded}) with a strictly larger logit, so ties rank in the token's favour. The excluded
     * token itself (the unseen-action token, never predicted) ranks below every other: {@code vocab}.
     */
    public static int rank(float[] z, int off, int vocab, int token, int excluded) {
        if (token == excluded) {
            return vocab;
        }
        float t = z[off + token];
        int above = 0;
        for (int j = 0; j < vocab; j++) {
            if (j != excluded && j != token && z[off + j] > t) {
                above++;
            }
        }
        return above + 1;
    }

    /** Writes the {@code k} most likely tokens of a row (never {@code excluded}) into out[at..at+k). */
    public static void topK(float[] z, int off, int vocab, int k, int excluded, int[] out, int at) {
        for (int r = 0; r < k; r++) {
            out[at + r] = -1;
        }
        for (int j = 0; j < vocab; j++) {
            if (j == excluded) {
                continue;
            }
            float v = z[off + j];
            for (int r = 0; r < k; r++) {
                int cur = out[at + r];
                if (cur < 0 || v > z[off + cur]) {
                    for (int q = k - 1; q > r; q--) {
                        out[at + q] = out[at + q - 1];
                    }
                    out[at + r] = j;
                    break;
                }
            }
        }
    }
}
