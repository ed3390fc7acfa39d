package dev.seqwatch.detect;

/**
 * One user's scores. {@code steps} is aligned with the user's events (NaN where a step has no score,
 * e.g. the first event for a next-event model) or null when the detector scores users only.
 * {@code expected} holds, per step, up to {@code Scores.topK()} token codes into
 * {@code Scores.tokenNames()} that the model expected instead (-1 pads), or null. {@code ranks} holds,
 * per step, the rank of what actually happened among the model's predictions (1 = its first choice; for
 * a step charged with several tokens, e.g. a session end and the next event, the worst of them; 0 = no
 * rank), or null when the detector does not rank.
 */
public record UserScores(String userId, double score, double[] steps, int[] expected, int[] ranks) {

    public UserScores(String userId, double score, double[] steps, int[] expected) {
        this(userId, score, steps, expected, null);
    }

    public int expectedAt(int step, int rank, int topK) {
        return expected == null ? -1 : expected[step * topK + rank];
    }

    /** Rank of the actual event at {@code step} (1 = the model's first choice), or 0 when there is none. */
    public int rankAt(int step) {
        return ranks == null || step >= ranks.length ? 0 : ranks[step];
    }

    /** DeepLog's criterion: the first step whose actual event ranked outside the top {@code g}, or -1. */
    public int firstOutsideTop(int g) {
        if (ranks == null) {
            return -1;
        }
        for (int i = 0; i < ranks.length; i++) {
            if (ranks[i] > g) {
                return i;
            }
        }
        return -1;
    }
}
