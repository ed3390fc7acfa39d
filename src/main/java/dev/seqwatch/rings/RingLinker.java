package dev.seqwatch.rings;

import dev.seqwatch.common.ProgressListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Links users by what they share and groups them into rings.
 *
 * <p>Three kinds of link key, each user keeping a bounded number of them:
 * <ul>
 *   <li><b>item in a time window</b>: {@code (item, floor(t / window))} and {@code (item, floor(t / window) + 1)}
 *       for every event on an item, so two events on one item less than a window apart always share a
 *       key (and events up to two windows apart may). A user keeps its {@code itemKeys} most frequent
 *       keys (ties: smallest hash): ring members touch their targets over and over.</li>
 *   <li><b>amount</b>: the exact amount in cents, the user's {@code amountKeys} most frequent.</li>
 *   <li><b>sequence</b>: MinHash ({@code hashes} functions) over shingles of {@value #SHINGLE} consecutive
 *       (action, gap class) tokens, gap classes on a log2 scale of seconds; LSH with {@code bands} bands of
 *       {@code hashes / bands} rows proposes candidates, whose Jaccard similarity is then estimated from the
 *       whole signatures.</li>
 * </ul>
 * Keys are sorted into an inverted index (one packed {@code long} per key and user). A pair's link
 * strength is the sum, over the item and amount keys they share, of {@code ln(users / keyUsers)} (a key
 * few users share says more), plus {@code sequenceWeight * jaccard} when the estimated Jaccard
 * similarity of their sequences reaches {@code minJaccard}.
 *
 * <p><b>Memory bound.</b> A key shared by more than {@code bucketCap} users (a best-selling item in a busy
 * hour, a common price, the shingles every short session has) links nobody: it is counted as skipped and
 * ignored, so the pair work is at most {@code keys * bucketCap} and never quadratic in the users. The
 * price: links through very popular keys are lost (at a million users the LSH buckets of a whole
 * fraud pattern outgrow the cap; item links, which are specific to a ring, remain). Per user the
 * linker keeps at most {@code itemKeys * 2 + amountKeys + bands} index entries, {@code hashes} ints of
 * signature and {@code topK} neighbours.
 *
 * <p>Rings are the connected components of the mutual top-{@code topK} links of strength at least
 * {@code ringStrength}.
 */
public final class RingLinker {
    static final int SHINGLE = 3;
    static final int KIND_ITEM = 0;
    static final int KIND_AMOUNT = 1;
    static final int KIND_BAND = 2;
    private static final int USER_BITS = 24;
    private static final long USER_MASK = (1L << USER_BITS) - 1;
    private static final long KEY_MASK = (1L << 38) - 1;

    /** The linker's settings; {@link #defaults()} were chosen by measurement on generated sessions (README "Rings"). */
    public record Params(long windowSeconds, int itemKeys, int amountKeys, int hashes, int bands, int bucketCap,
                         int topK, double minStrength, double sequenceWeight, double minJaccard, double ringStrength) {
        public Params {
            if (windowSeconds < 1 || itemKeys < 0 || amountKeys < 0 || hashes < 1 || bands < 1 || hashes % bands != 0
                    || bucketCap < 2 || topK < 1 || minJaccard < 0 || minJaccard > 1) {
                throw new IllegalArgumentException("bad ring linker settings: " + this);
            }
        }

        public static Params defaults() {
            return new Params(86_400, 24, 8, 32, 8, 200, 25, 15.0, 8.0, 0.5, 15.0);
        }

        public Params withTopK(int k) {
            return new Params(windowSeconds, itemKeys, amountKeys, hashes, bands, bucketCap, k, minStrength,
                    sequenceWeight, minJaccard, ringStrength);
        }

        public Params withBucketCap(int cap) {
            return new Params(windowSeconds, itemKeys, amountKeys, hashes, bands, cap, topK, minStrength,
                    sequenceWeight, minJaccard, ringStrength);
        }

        public Params withWindow(long seconds) {
            return new Params(seconds, itemKeys, amountKeys, hashes, bands, bucketCap, topK, minStrength,
                    sequenceWeight, minJaccard, ringStrength);
        }

        public Params withStrengths(double min, double ring, double seqWeight) {
            return new Params(windowSeconds, itemKeys, amountKeys, hashes, bands, bucketCap, topK, min,
                    seqWeight, minJaccard, ring);
        }
    }

    private final Params p;

    public RingLinker(Params p) {
        this.p = p;
    }

    public Params params() {
        return p;
    }

    public RingGraph link(RingInput in, ProgressListener progress) {
        int n = in.users();
        if (n >= (1 << USER_BITS)) {
            throw new IllegalArgumentException("the ring linker handles at most " + ((1 << USER_BITS) - 1) + " users, got " + n);
        }
        int h = p.hashes();
        int[] sig = new int[n * h];
        long[][] keys = new long[n][];
        AtomicInteger done = new AtomicInteger();
        IntStream.range(0, n).parallel().forEach(u -> {
            if ((u & 1023) == 0) {
                progress.checkCancelled();
            }
            keys[u] = features(in, u, sig, h);
            int d = done.incrementAndGet();
            if ((d & 8191) == 0) {
                progress.progress(0.3 * d / n, "ring keys of " + d + " / " + n + " users");
            }
        });
        progress.checkCancelled();
        long total = 0;
        for (long[] k : keys) {
            total += k.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many ring keys: " + total);
        }
        long[] packed = new long[(int) total];
        int[] userStart = new int[n + 1];
        int k = 0;
        for (int u = 0; u < n; u++) {
            userStart[u] = k;
            for (long key : keys[u]) {
                packed[k++] = (key << USER_BITS) | u;
            }
            keys[u] = null;
        }
        userStart[n] = k;
        progress.progress(0.35, "sorting " + total + " ring keys");
        Arrays.parallelSort(packed);
        progress.checkCancelled();
        // runs of one key; each user's entries point at their runs
        int[] runStartTmp = new int[packed.length + 1];
        int runs = 0;
        int[] userRuns = new int[packed.length];
        int[] fill = Arrays.copyOf(userStart, n);
        for (int i = 0; i < packed.length; i++) {
            if (i == 0 || (packed[i] >>> USER_BITS) != (packed[i - 1] >>> USER_BITS)) {
                runStartTmp[runs++] = i;
            }
            int u = (int) (packed[i] & USER_MASK);
            userRuns[fill[u]++] = runs - 1;
        }
        runStartTmp[runs] = packed.length;
        int[] runStart = Arrays.copyOf(runStartTmp, runs + 1);
        runStartTmp = null;
        long skipped = 0;
        for (int r = 0; r < runs; r++) {
            if (runStart[r + 1] - runStart[r] > p.bucketCap()) {
                skipped++;
            }
        }
        progress.progress(0.45, "linking " + n + " users");

        int kk = p.topK();
        int[] nbr = new int[n * kk];
        Arrays.fill(nbr, -1);
        float[] strength = new float[n * kk];
        short[] items = new short[n * kk];
        short[] amounts = new short[n * kk];
        float[] jaccard = new float[n * kk];
        AtomicLong pairWork = new AtomicLong();
        ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(() -> new Scratch(n));
        done.set(0);
        double logN = Math.log(Math.max(2, n));
        IntStream.range(0, n).parallel().forEach(u -> {
            if ((u & 1023) == 0) {
                progress.checkCancelled();
            }
            Scratch s = scratch.get();
            long work = 0;
            for (int e = userStart[u]; e < userStart[u + 1]; e++) {
                int r = userRuns[e];
                int from = runStart[r];
                int to = runStart[r + 1];
                int df = to - from;
                if (df < 2 || df > p.bucketCap()) {
                    continue;
                }
                work += df;
                int kind = (int) (packed[from] >>> (USER_BITS + 36));
                float w = (float) (logN - Math.log(df));
                for (int i = from; i < to; i++) {
                    int v = (int) (packed[i] & USER_MASK);
                    if (v == u) {
                        continue;
                    }
                    s.touch(v);
                    if (kind == KIND_BAND) {
                        if (s.jac[v] < 0) {
                            s.jac[v] = similarity(sig, u, v, h);
                        }
                    } else {
                        s.score[v] += w;
                        if (kind == KIND_ITEM) {
                            s.items[v]++;
                        } else {
                            s.amounts[v]++;
                        }
                    }
                }
            }
            pairWork.addAndGet(work);
            s.top(u, kk, p, nbr, strength, items, amounts, jaccard);
            int d = done.incrementAndGet();
            if ((d & 8191) == 0) {
                progress.progress(0.45 + 0.5 * d / n, "linked " + d + " / " + n + " users");
            }
        });
        progress.progress(0.97, "grouping rings");
        RingGraph g = new RingGraph(in.userIds, kk, nbr, strength, items, amounts, jaccard, total, runs, skipped,
                pairWork.get(), p);
        progress.progress(1.0, "rings done");
        return g;
    }

    /** The user's index keys (kind in bits 36-37 of the 38-bit key); fills its MinHash signature. */
    long[] features(RingInput in, int u, int[] sig, int h) {
        int from = in.start[u];
        int to = in.start[u + 1];
        int len = to - from;
        // item keys in windows
        long[] itemKeys = new long[2 * len];
        int ni = 0;
        for (int i = from; i < to; i++) {
            if (in.item[i] >= 0) {
                long b = Math.floorDiv(in.seconds[i], p.windowSeconds());
                itemKeys[ni++] = key(KIND_ITEM, mix(in.item[i] * 0x9E3779B97F4A7C15L + b));
                itemKeys[ni++] = key(KIND_ITEM, mix(in.item[i] * 0x9E3779B97F4A7C15L + b + 1));
            }
        }
        long[] chosenItems = mostFrequent(itemKeys, ni, p.itemKeys());
        long[] amountKeys = new long[len];
        int na = 0;
        for (int i = from; i < to; i++) {
            if (in.cents[i] >= 0) {
                amountKeys[na++] = key(KIND_AMOUNT, mix(in.cents[i] ^ 0xA5A5_0000_0000L));
            }
        }
        long[] chosenAmounts = mostFrequent(amountKeys, na, p.amountKeys());
        // MinHash over shingles of (action, gap class)
        int base = u * h;
        Arrays.fill(sig, base, base + h, Integer.MAX_VALUE);
        boolean any = false;
        if (len >= SHINGLE) {
            long[] sh = new long[len - SHINGLE + 1];
            for (int i = from; i + SHINGLE <= to; i++) {
                long x = 0;
                for (int j = i; j < i + SHINGLE; j++) {
                    x = x * 1_000_003L + token(in, j, from);
                }
                sh[i - from] = x;
            }
            Arrays.sort(sh);
            for (int i = 0; i < sh.length; i++) {
                if (i > 0 && sh[i] == sh[i - 1]) {
                    continue;
                }
                any = true;
                for (int j = 0; j < h; j++) {
                    int v = (int) (mix(sh[i] + SEEDS[j]) >>> 33);
                    if (v < sig[base + j]) {
                        sig[base + j] = v;
                    }
                }
            }
        }
        int bands = any ? p.bands() : 0;
        long[] out = new long[chosenItems.length + chosenAmounts.length + bands];
        System.arraycopy(chosenItems, 0, out, 0, chosenItems.length);
        System.arraycopy(chosenAmounts, 0, out, chosenItems.length, chosenAmounts.length);
        int rows = h / p.bands();
        for (int b = 0; b < bands; b++) {
            long x = 0x5EED_0000L + b;
            for (int r = 0; r < rows; r++) {
                x = mix(x * 31 + sig[base + b * rows + r]);
            }
            out[chosenItems.length + chosenAmounts.length + b] = key(KIND_BAND, x);
        }
        return out;
    }

    /** Action and a gap class: the log2 of the seconds since the previous event (first event: its own class). */
    private static long token(RingInput in, int j, int from) {
        int gapClass;
        if (j == from) {
            gapClass = 31;
        } else {
            long gap = Math.max(0, in.seconds[j] - in.seconds[j - 1]);
            gapClass = gap > 1800 ? 30 : 64 - Long.numberOfLeadingZeros(gap);   // 0 s, 1, 2-3, 4-7, ...; > 30 min: a new session
        }
        return (long) (in.action[j] + 1) * 32 + gapClass;
    }

    /** The {@code limit} values that occur most often among the first {@code n} (ties: smallest value). */
    static long[] mostFrequent(long[] a, int n, int limit) {
        if (n == 0 || limit == 0) {
            return new long[0];
        }
        Arrays.sort(a, 0, n);
        int distinct = 0;
        long[] vals = new long[n];
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            if (i > 0 && a[i] == a[i - 1]) {
                counts[distinct - 1]++;
            } else {
                vals[distinct] = a[i];
                counts[distinct++] = 1;
            }
        }
        if (distinct <= limit) {
            return Arrays.copyOf(vals, distinct);
        }
        Integer[] order = new Integer[distinct];
        for (int i = 0; i < distinct; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> counts[x] != counts[y] ? Integer.compare(counts[y], counts[x]) : Long.compare(vals[x], vals[y]));
        long[] out = new long[limit];
        for (int i = 0; i < limit; i++) {
            out[i] = vals[order[i]];
        }
        return out;
    }

    static float similarity(int[] sig, int u, int v, int h) {
        int same = 0;
        int bu = u * h;
        int bv = v * h;
        for (int j = 0; j < h; j++) {
            same += sig[bu + j] == sig[bv + j] ? 1 : 0;
        }
        return same / (float) h;
    }

    private static long key(int kind, long hash) {
        return ((long) kind << 36) | (hash & (KEY_MASK >>> 2));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static final long[] SEEDS = new long[256];

    static {
        long x = 0x2545F4914F6CDD1DL;
        for (int i = 0; i < SEEDS.length; i++) {
            x = mix(x + 0x9E3779B97F4A7C15L);
            SEEDS[i] = x;
        }
    }

    /** Per-thread accumulators over all users, reset through the touched list. */
    private static final class Scratch {
        final float[] score;
        final float[] jac;
        final short[] items;
        final short[] amounts;
        final boolean[] seen;
        int[] touched = new int[256];
        int nt;

        Scratch(int n) {
            score = new float[n];
            jac = new float[n];
            Arrays.fill(jac, -1f);
            items = new short[n];
            amounts = new short[n];
            seen = new boolean[n];
        }

        void touch(int v) {
            if (!seen[v]) {
                seen[v] = true;
                if (nt == touched.length) {
                    touched = Arrays.copyOf(touched, nt * 2);
                }
                touched[nt++] = v;
            }
        }

        void top(int u, int k, Params p, int[] nbr, float[] strength, short[] it, short[] am, float[] jc) {
            // total strengths into score, then a partial selection of the k strongest
            int m = 0;
            for (int i = 0; i < nt; i++) {
                int v = touched[i];
                float j = jac[v];
                float s = score[v] + (j >= p.minJaccard() ? (float) (p.sequenceWeight() * j) : 0f);
                score[v] = s;
                if (s >= p.minStrength()) {
                    touched[m++] = v;   // keep candidates at the front (the rest is reset below)
                } else {
                    reset(v);
                }
            }
            Integer[] c = new Integer[m];
            for (int i = 0; i < m; i++) {
                c[i] = touched[i];
            }
            Arrays.sort(c, (a, b) -> score[a] != score[b] ? Float.compare(score[b], score[a]) : Integer.compare(a, b));
            int base = u * k;
            for (int i = 0; i < Math.min(k, m); i++) {
                int v = c[i];
                nbr[base + i] = v;
                strength[base + i] = score[v];
                it[base + i] = items[v];
                am[base + i] = amounts[v];
                jc[base + i] = Math.max(0f, jac[v]);
            }
            for (int i = 0; i < m; i++) {
                reset(c[i]);
            }
            nt = 0;
        }

        private void reset(int v) {
            score[v] = 0;
            jac[v] = -1f;
            items[v] = 0;
            amounts[v] = 0;
            seen[v] = false;
        }
    }

    /** Lists the neighbours of every user as {@link RingGraph.Link}s (for reports). */
    static List<RingGraph.Link> links(RingGraph g, int u) {
        List<RingGraph.Link> out = new ArrayList<>();
        for (int i = 0; i < g.topK; i++) {
            int v = g.nbr[u * g.topK + i];
            if (v < 0) {
                break;
            }
            int j = u * g.topK + i;
            out.add(new RingGraph.Link(g.userIds[v], v, g.strength[j], g.items[j], g.amounts[j], g.jaccard[j]));
        }
        return out;
    }
}
