package dev.seqwatch.rings;

import dev.seqwatch.sequence.SequenceSet;
import dev.seqwatch.sequence.UserSequence;

import java.util.Arrays;

/**
 * What the ring linker reads, column-wise: every user's events in time order (user {@code u}'s
 * events are {@code [start[u], start[u+1])}), seconds, action codes, item codes (-1: none) and
 * amounts in cents (-1: none). Built from a workspace's {@link SequenceSet} or directly (benchmark).
 */
public final class RingInput {
    final String[] userIds;
    final int[] start;
    final long[] seconds;
    final int[] action;
    final int[] item;
    final long[] cents;

    public RingInput(String[] userIds, int[] start, long[] seconds, int[] action, int[] item, long[] cents) {
        if (start.length != userIds.length + 1 || start[0] != 0 || start[userIds.length] != seconds.length
                || action.length != seconds.length || item.length != seconds.length || cents.length != seconds.length) {
            throw new IllegalArgumentException("ring input columns do not fit together");
        }
        for (int u = 0; u < userIds.length; u++) {
            if (start[u + 1] < start[u]) {
                throw new IllegalArgumentException("ring input: user offsets decrease at user " + userIds[u]);
            }
        }
        this.userIds = userIds;
        this.start = start;
        this.seconds = seconds;
        this.action = action;
        this.item = item;
        this.cents = cents;
    }

    public static RingInput of(SequenceSet set) {
        int n = set.size();
        String[] ids = new String[n];
        int[] start = new int[n + 1];
        long total = 0;
        for (int u = 0; u < n; u++) {
            total += set.users().get(u).length();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many events for the ring linker: " + total);
        }
        long[] sec = new long[(int) total];
        int[] act = new int[(int) total];
        int[] it = new int[(int) total];
        long[] cents = new long[(int) total];
        int k = 0;
        for (int u = 0; u < n; u++) {
            UserSequence s = set.users().get(u);
            ids[u] = s.userId();
            start[u] = k;
            for (int i = 0; i < s.length(); i++, k++) {
                sec[k] = Math.floorDiv(s.timestamp(i), 1000L);
                act[k] = s.action(i);
                it[k] = s.item(i);
                double a = s.amount(i);
                cents[k] = Double.isNaN(a) ? -1 : Math.round(a * 100);
            }
        }
        start[n] = k;
        return new RingInput(ids, start, sec, act, it, cents);
    }

    public int users() {
        return userIds.length;
    }

    public String userId(int u) {
        return userIds[u];
    }

    public long events() {
        return seconds.length;
    }

    /** Index of a user id, or -1. Linear; for tests and single look-ups. */
    public int indexOf(String userId) {
        return Arrays.asList(userIds).indexOf(userId);
    }
}
