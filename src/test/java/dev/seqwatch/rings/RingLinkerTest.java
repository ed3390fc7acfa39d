package dev.seqwatch.rings;

import dev.seqwatch.common.ProgressListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Linking on hand-built users: shared items in a window, identical sequences, identical amounts, the bucket cap. */
class RingLinkerTest {
    private static final long DAY = 86_400;
    private static final int VIEW = 0;
    private static final int BUY = 1;
    private static final int SEARCH = 2;

    /** Users as event lists; background users with their own items and random cadence make the idf meaningful. */
    private static final class Users {
        final List<String> ids = new ArrayList<>();
        final List<long[]> events = new ArrayList<>();   // {second, action, item, cents} per event, flattened

        int add(String id, long[][] ev) {
            ids.add(id);
            long[] flat = new long[ev.length * 4];
            for (int i = 0; i < ev.length; i++) {
                System.arraycopy(ev[i], 0, flat, i * 4, 4);
            }
            events.add(flat);
            return ids.size() - 1;
        }

        void background(int n, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int u = 0; u < n; u++) {
                int len = 5 + r.nextInt(20);
                long[][] ev = new long[len][];
                long t = r.nextLong(30 * DAY);
                for (int i = 0; i < len; i++) {
                    t += 1 + r.nextInt(600);
                    ev[i] = new long[] {t, r.nextInt(3), 10_000 + u * 100 + r.nextInt(100), -1};
                }
                add("bg" + u, ev);
            }
        }

        RingInput input() {
            int n = ids.size();
            int[] start = new int[n + 1];
            int total = 0;
            for (int u = 0; u < n; u++) {
                start[u] = total;
                total += events.get(u).length / 4;
            }
            start[n] = total;
            long[] sec = new long[total];
            int[] act = new int[total];
            int[] item = new int[total];
            long[] cents = new long[total];
            int k = 0;
            for (long[] e : events) {
                for (int i = 0; i < e.length; i += 4, k++) {
                    sec[k] = e[i];
                    act[k] = (int) e[i + 1];
                    item[k] = (int) e[i + 2];
                    cents[k] = e[i + 3];
                }
            }
            return new RingInput(ids.toArray(String[]::new), start, sec, act, item, cents);
        }
    }

    /** Views of the given items at {@code t0 + offsets}, one item after the other, gaps of 5 s. */
    private static long[][] views(long t0, int[] items, int repeats) {
        long[][] ev = new long[items.length * repeats][];
        long t = t0;
        for (int k = 0; k < repeats; k++) {
            for (int i = 0; i < items.length; i++) {
                ev[k * items.length + i] = new long[] {t, VIEW, items[i], -1};
                t += 5;
            }
        }
        return ev;
    }

    private static RingLinker.Params hourly() {
        return RingLinker.Params.defaults().withWindow(3_600).withStrengths(3.0, 3.0, 0.0);
    }

    private static boolean linked(RingGraph g, int u, int v) {
        return g.neighbours(u).stream().anyMatch(l -> l.index() == v);
    }

    @Test
    void sharedItemsInsideTheWindowLinkAndOutsideItDoNot() {
        Users us = new Users();
        us.background(60, 1);
        int[] targets = {500, 501, 502};
        long t = 10 * DAY + 3_600 * 14;
        int a = us.add("a", views(t, targets, 3));
        int b = us.add("b", views(t + 600, targets, 3));          // ten minutes later: inside a one-hour window
        int c = us.add("c", views(t + 5 * DAY, targets, 3));      // five days later: outside
        RingGraph g = new RingLinker(hourly()).link(us.input(), ProgressListener.NONE);
        assertThat(linked(g, a, b)).isTrue();
        assertThat(linked(g, b, a)).isTrue();
        assertThat(linked(g, a, c)).isFalse();
        assertThat(linked(g, b, c)).isFalse();
        RingGraph.Link ab = g.neighbours(a).get(0);
        assertThat(ab.userId()).isEqualTo("b");
        assertThat(ab.sharedItemWindows()).isGreaterThanOrEqualTo(3);
        assertThat(ab.sharedAmounts()).isZero();
        assertThat(ab.reasons()).startsWith("items ");
        // a and b form a ring of two; c is in none
        assertThat(g.rings()).anySatisfy(r -> assertThat(r.members()).containsExactlyInAnyOrder(a, b));
        assertThat(g.rings()).noneSatisfy(r -> assertThat(r.members()).contains(c));
        // with a week-long window c joins
        RingGraph weekly = new RingLinker(hourly().withWindow(7 * DAY)).link(us.input(), ProgressListener.NONE);
        assertThat(linked(weekly, a, c)).isTrue();
    }

    @Test
    void identicalSequencesLinkAndDifferentOnesDoNot() {
        Users us = new Users();
        us.background(60, 2);
        // a script: search, then view / view / buy with fixed gaps, on items nobody else touches
        long[][] script1 = new long[40][];
        long[][] script2 = new long[40][];
        long[][] other = new long[40][];
        SplittableRandom r = new SplittableRandom(7);
        long t1 = 3 * DAY;
        long t2 = 17 * DAY;
        long t3 = 9 * DAY;
        for (int i = 0; i < 40; i++) {
            int act = i % 4 == 0 ? SEARCH : i % 4 == 3 ? BUY : VIEW;
            long gap = i % 4 == 0 ? 40 : 3;
            t1 += gap;
            t2 += gap;
            t3 += 1 + r.nextInt(900);
            script1[i] = new long[] {t1, act, 20_000 + i, -1};
            script2[i] = new long[] {t2, act, 30_000 + i, -1};
            other[i] = new long[] {t3, r.nextInt(3), 40_000 + i, -1};
        }
        int a = us.add("s1", script1);
        int b = us.add("s2", script2);
        int c = us.add("other", other);
        RingLinker.Params p = RingLinker.Params.defaults().withStrengths(3.0, 3.0, 8.0);
        RingGraph g = new RingLinker(p).link(us.input(), ProgressListener.NONE);
        assertThat(linked(g, a, b)).isTrue();
        RingGraph.Link ab = g.neighbours(a).stream().filter(l -> l.index() == b).findFirst().orElseThrow();
        assertThat(ab.sequenceSimilarity()).isEqualTo(1.0);
        assertThat(ab.sharedItemWindows()).isZero();
        assertThat(linked(g, a, c)).isFalse();
        assertThat(linked(g, c, a)).isFalse();
        // without the sequence weight the script pair has nothing else in common
        RingGraph none = new RingLinker(p.withStrengths(3.0, 3.0, 0.0)).link(us.input(), ProgressListener.NONE);
        assertThat(linked(none, a, b)).isFalse();
    }

    @Test
    void identicalAmountsLink() {
        Users us = new Users();
        us.background(60, 3);
        long[][] x = new long[6][];
        long[][] y = new long[6][];
        for (int i = 0; i < 6; i++) {
            x[i] = new long[] {2 * DAY + i * 7_200, BUY, 60_000 + i, 1_337 + i * 1_000};
            y[i] = new long[] {20 * DAY + i * 9_000, BUY, 70_000 + i, 1_337 + i * 1_000};
        }
        int a = us.add("x", x);
        int b = us.add("y", y);
        RingGraph g = new RingLinker(hourly()).link(us.input(), ProgressListener.NONE);
        RingGraph.Link l = g.neighbours(a).get(0);
        assertThat(l.index()).isEqualTo(b);
        assertThat(l.sharedAmounts()).isEqualTo(6);
        assertThat(l.sharedItemWindows()).isZero();
    }

    @Test
    void aKeySharedByMoreUsersThanTheCapLinksNobody() {
        Users us = new Users();
        us.background(60, 4);
        List<Integer> crowd = new ArrayList<>();
        long t = 12 * DAY;
        for (int i = 0; i < 30; i++) {   // thirty users view one best-seller in the same hour
            crowd.add(us.add("c" + i, views(t + i * 60, new int[] {999, 999, 999}, 2)));
        }
        RingLinker.Params p = hourly().withStrengths(0.1, 0.1, 0.0);
        RingGraph capped = new RingLinker(p.withBucketCap(20)).link(us.input(), ProgressListener.NONE);
        for (int u : crowd) {
            assertThat(capped.neighbours(u)).as("user " + u).isEmpty();
        }
        assertThat(capped.skippedKeys()).isGreaterThanOrEqualTo(1);
        assertThat(capped.pairWork()).isLessThan(30L * 30);
        RingGraph open = new RingLinker(p.withBucketCap(50)).link(us.input(), ProgressListener.NONE);
        assertThat(open.neighbours(crowd.get(0))).isNotEmpty();
        assertThat(open.skippedKeys()).isZero();
        assertThat(open.pairWork()).isGreaterThan(capped.pairWork());
    }

    @Test
    void mostFrequentKeepsTheMostRepeatedValuesWithTiesBrokenBySmallestValue() {
        long[] a = {5, 3, 5, 9, 3, 5, 1, 7};
        assertThat(RingLinker.mostFrequent(a, a.length, 2)).containsExactly(5, 3);
        long[] b = {4, 2, 8};
        assertThat(RingLinker.mostFrequent(b, b.length, 2)).containsExactly(2, 4);
        assertThat(RingLinker.mostFrequent(new long[0], 0, 3)).isEmpty();
    }
}
