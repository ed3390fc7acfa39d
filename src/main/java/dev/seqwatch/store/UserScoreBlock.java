package dev.seqwatch.store;

/**
 * A run of consecutive ranks of one scoring: the users ranked {@code firstRank .. firstRank+n-1}, in
 * rank order, with their scores. The user scores of a model are a few of these rows
 * ({@code user_score_block}) instead of one row per user: 1M rows with a VARCHAR key and a rank
 * index written in one transaction grew a workspace from 273 MB to 1.41 GB; the queue reads the
 * blocks in order (0.3 s instead of 3.9 s for 1M users), and "the top N" reads only the first block(s).
 *
 * <p>Encoding: {@code "SWU1"}, user count, first rank (varints), the user ids (string table in rank
 * order), then per user the score as a float64 (little-endian raw bits, so ties and order are exact).
 */
public final class UserScoreBlock {
    private static final int MAGIC = 0x53575531; // "SWU1"
    /** Users per block unless a test or the crash child asks for smaller ones. */
    public static final int DEFAULT_USERS = 32_768;

    public final int firstRank;
    public final String[] userIds;
    public final double[] scores;

    UserScoreBlock(int firstRank, String[] userIds, double[] scores) {
        if (userIds.length != scores.length) {
            throw new IllegalArgumentException("ids and scores differ in length");
        }
        this.firstRank = firstRank;
        this.userIds = userIds;
        this.scores = scores;
    }

    public int size() {
        return userIds.length;
    }

    public int rank(int i) {
        return firstRank + i;
    }

    byte[] encode() {
        EventBlock.Out o = new EventBlock.Out(16 + userIds.length * 20);
        o.int32(MAGIC);
        o.varint(userIds.length);
        o.varint(firstRank);
        o.strings(userIds);
        for (double s : scores) {
            o.int64(Double.doubleToRawLongBits(s));
        }
        return o.toArray();
    }

    static UserScoreBlock decode(byte[] data, int expectedFirstRank, String where) {
        try {
            EventBlock.In in = new EventBlock.In(data);
            if (in.int32() != MAGIC) {
                throw new StoreException(where + ": not a user-score block (bad magic)");
            }
            int n = in.varint();
            int first = in.varint();
            if (first != expectedFirstRank) {
                throw new StoreException(where + ": user-score block starts at rank " + first + ", expected " + expectedFirstRank);
            }
            String[] ids = in.strings();
            if (ids.length != n || n > (data.length / 8)) {
                throw new StoreException(where + ": damaged user-score block (" + ids.length + " ids for " + n + " users)");
            }
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = Double.longBitsToDouble(in.int64());
            }
            return new UserScoreBlock(first, ids, s);
        } catch (ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new StoreException(where + ": damaged user-score block (truncated)", e);
        }
    }
}
