package dev.seqwatch.generate;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A kind of fraudulent user. Accounts of one pattern work in rings (shared target items, shared
 * campaign days); each account has its own intensity in [0, 1): low intensities are subtle, with
 * fewer and shorter fraudulent sessions, slower pace and more normal sessions mixed in.
 */
abstract class FraudPattern {
    static final double SUBTLE_BELOW = 0.3;

    /** The label's fraud_type, one of {@code Label.FRAUD_TYPES}. */
    abstract String type();

    /** Accounts per ring. */
    abstract int ringSize();

    /**
     * Generates the whole user (normal sessions mixed in) and returns the note for truth.csv.
     *
     * @param ring random stream shared by the ring's accounts (its targets and campaign)
     */
    abstract String generate(UserContext c, SplittableRandom ring, int ringNo, double intensity);

    interface SessionBody {
        void run(UserContext c);
    }

    /** Runs normal and fraudulent sessions interleaved in time order. */
    static void interleave(UserContext c, long[] normalStarts, long[] fraudStarts, SessionBody fraud) {
        int i = 0;
        int j = 0;
        while (i < normalStarts.length || j < fraudStarts.length) {
            boolean fraudNext = j < fraudStarts.length
                    && (i >= normalStarts.length || fraudStarts[j] <= normalStarts[i]);
            long start = fraudNext ? fraudStarts[j++] : normalStarts[i++];
            if (!c.startSession(start)) {
                if (fraudNext || j >= fraudStarts.length) {
                    return;
                }
                continue;
            }
            if (fraudNext) {
                fraud.run(c);
            } else {
                NormalShopper.session(c);
            }
        }
    }

    /** Session starts inside [fromDay, toDay] at hours from the profile. */
    static long[] starts(UserContext c, int n, int fromDay, int toDay, double[] hours) {
        int days = (int) (c.horizon / 86_400);
        int from = Math.max(0, Math.min(fromDay, days - 1));
        int to = Math.max(from, Math.min(toDay, days - 1));
        long[] s = new long[n];
        for (int k = 0; k < n; k++) {
            s[k] = Rand.between(c.r, from, to) * 86_400L + Diurnal.hour(c.r, hours) * 3_600L + c.r.nextInt(3_600);
        }
        Arrays.sort(s);
        return s;
    }

    static String fmt(double x) {
        return String.format(Locale.ROOT, "%.2f", x);
    }

    static String subtle(double intensity) {
        return intensity < SUBTLE_BELOW ? "; subtle" : "";
    }

    static int[] distinctItems(Catalogue shop, int category, int n, SplittableRandom r, boolean cheap) {
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            int it;
            int tries = 0;
            do {
                it = cheap ? shop.cheapItem(category, r) : shop.item(category, r);
            } while (contains(out, k, it) && ++tries < 20);
            out[k] = it;
        }
        return out;
    }

    private static boolean contains(int[] a, int n, int x) {
        for (int i = 0; i < n; i++) {
            if (a[i] == x) {
                return true;
            }
        }
        return false;
    }

    static String ids(int[] items) {
        StringBuilder sb = new StringBuilder();
        for (int it : items) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(Catalogue.ITEM_ID_BASE + it);
        }
        return sb.toString();
    }
}
