package dev.seqwatch.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The step scores of one model for the events of one {@link EventBlock}, position by position:
 * score (NaN = none) and the model's expected top-k text (null = none). Stored as one row per block
 * for the same reason as the events (10M step-score rows would take minutes to write).
 *
 * <p>Encoding: {@code "SWS1"}, event count, a string table of distinct expected texts, then per event
 * a float32 score (little-endian) and the expected text's index + 1 (varint, 0 = none).
 */
public final class StepScoreBlock {
    private static final int MAGIC = 0x53575331; // "SWS1"

    public final float[] score;
    private final int[] expected;
    private final String[] texts;

    private StepScoreBlock(float[] score, int[] expected, String[] texts) {
        this.score = score;
        this.expected = expected;
        this.texts = texts;
    }

    public int size() {
        return score.length;
    }

    public String expected(int k) {
        return expected[k] < 0 ? null : texts[expected[k]];
    }

    /** Builds the scores of one block before it is stored. */
    static final class Builder {
        final float[] score;
        final int[] expected;
        final List<String> texts = new ArrayList<>();
        final Map<String, Integer> codes = new HashMap<>();

        Builder(int n) {
            score = new float[n];
            expected = new int[n];
            Arrays.fill(score, Float.NaN);
            Arrays.fill(expected, -1);
        }

        void set(int k, double s, String exp) {
            score[k] = (float) s;
            if (exp != null && !exp.isEmpty()) {
                expected[k] = codes.computeIfAbsent(exp, t -> {
                    texts.add(t);
                    return texts.size() - 1;
                });
            }
        }

        byte[] encode() {
            EventBlock.Out o = new EventBlock.Out(16 + score.length * 5);
            o.int32(MAGIC);
            o.varint(score.length);
            o.strings(texts.toArray(String[]::new));
            for (int k = 0; k < score.length; k++) {
                o.float32(score[k]);
                o.varint(expected[k] + 1);
            }
            return o.toArray();
        }
    }

    static StepScoreBlock decode(byte[] data, int expectedEvents, String where) {
        try {
            EventBlock.In in = new EventBlock.In(data);
            if (in.int32() != MAGIC) {
                throw new StoreException(where + ": not a step-score block (bad magic)");
            }
            int n = in.varint();
            if (n != expectedEvents) {
                throw new StoreException(where + ": step-score block has " + n + " steps, its event block " + expectedEvents);
            }
            String[] texts = in.strings();
            float[] s = new float[n];
            int[] e = new int[n];
            for (int k = 0; k < n; k++) {
                s[k] = in.float32();
                e[k] = in.varint() - 1;
                if (e[k] >= texts.length) {
                    throw new StoreException(where + ": damaged step-score block (text index outside its table)");
                }
            }
            return new StepScoreBlock(s, e, texts);
        } catch (ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new StoreException(where + ": damaged step-score block (truncated)", e);
        }
    }
}
