package dev.seqwatch.generate;

import java.util.SplittableRandom;

/**
 * Scripted bots and scrapers: long sessions at any hour that crawl the catalogue systematically
 * (category after category, item ids in ascending order with a fixed stride, sometimes through the
 * category's search listing) with a fixed gap between requests. They never cart or buy. Subtle
 * bots add a one-second jitter to the gap, crawl in short sessions and belong to accounts that
 * also shop normally (a price-watch script).
 */
final class ScriptedBot extends FraudPattern {
    private static final int[] GAPS = {1, 2, 2, 3, 3, 4, 5, 5, 8, 10, 15};

    @Override
    String type() {
        return "scripted_bot";
    }

    @Override
    int ringSize() {
        return 20;
    }

    @Override
    String generate(UserContext c, SplittableRandom ring, int ringNo, double intensity) {
        NormalShopper.profile(c);
        SplittableRandom r = c.r;
        int gap = GAPS[r.nextInt(GAPS.length)];
        int jitter = intensity < 0.4 ? 1 : 0;
        int stride = Rand.chance(r, 0.7) ? 1 : Rand.between(r, 2, 4);
        boolean viaSearch = Rand.chance(r, 0.5);
        int sessions = 1 + (int) (intensity * 7) + r.nextInt(2);
        int length = 15 + (int) (intensity * 440);
        int perCategory = Rand.between(r, 20, 120);
        int normal = intensity < SUBTLE_BELOW ? Rand.between(r, 1, 4) : 0;
        int days = (int) (c.horizon / 86_400);
        int from = r.nextInt(days);
        long[] botStarts = starts(c, sessions, from, from + Rand.between(r, 2, days), Diurnal.FLAT);
        long[] normalStarts = NormalShopper.plannedStarts(c, normal);
        Crawl crawl = new Crawl(c.shop.popularCategory(r));
        crawl.item = c.shop.firstItem(crawl.category);
        interleave(c, normalStarts, botStarts, u -> crawl(u, crawl, gap, jitter, stride, viaSearch, length, perCategory));
        return "gap " + gap + "s" + (jitter > 0 ? " +-1s" : "") + "; stride " + stride
                + (viaSearch ? "; via search listings" : "") + "; sessions " + sessions
                + "; intensity " + fmt(intensity) + subtle(intensity);
    }

    private static final class Crawl {
        int category;
        int item;
        int inCategory;
        boolean listed;

        Crawl(int category) {
            this.category = category;
        }
    }

    private static void crawl(UserContext c, Crawl w, int gap, int jitter, int stride, boolean viaSearch,
                              int length, int perCategory) {
        SplittableRandom r = c.r;
        int n = Math.max(10, (int) Rand.logNormal(r, length, 0.3));
        if (Rand.chance(r, 0.1)) {
            c.emit(Action.LOGIN);
            c.pauseExactly(gap);
        }
        for (int k = 0; k < n; k++) {
            if (viaSearch && !w.listed) {
                c.emit(Action.SEARCH, -1, w.category, -1);
                w.listed = true;
            } else {
                c.emit(Action.VIEW, w.item, w.category, -1);
                w.item += stride;
                w.inCategory++;
                if (w.inCategory >= perCategory || w.item >= c.shop.endItem(w.category)) {
                    w.category = (w.category + 1) % c.shop.categories();
                    w.item = c.shop.firstItem(w.category);
                    w.inCategory = 0;
                    w.listed = false;
                }
            }
            long g = gap;
            if (jitter > 0 && Rand.chance(r, 0.3)) {
                g += r.nextBoolean() ? jitter : -jitter;
            }
            c.pauseExactly(Math.max(1, g));
        }
    }
}
