package dev.seqwatch.detect;

/**
 * One user's scores. {@code steps} is aligned with the user's events (NaN where a step has no score,
 * e.g. the first event for a next-event model) or null when the detector scores users only.
 * {@code expected} holds, per step, up to {@code Scores.topK()} token codes into
 * {@code Scores.tokenNames()} that the model expected instead (-1 pads), or null.
 */
public record UserScores(String userId, double score, double[] steps, int[] expected) {

    public int expectedAt(int step, int rank, int topK) {
        return expected == null ? -1 : expected[step * topK + rank];
    }
}
