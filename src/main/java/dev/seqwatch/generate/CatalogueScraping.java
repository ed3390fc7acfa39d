package dev.seqwatch.generate;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Catalogue scraping: a competitor's script copies the prices of a section of the shop. It views
 * many distinct items, each once (items drawn uniformly, so the long tail nobody else looks at is
 * visited as often as the best sellers), at a fixed cadence with a small jitter, and never carts
 * or buys; some scripts page through the section's search listing every few dozen items. The ring
 * scrapes the same categories; every account draws its own cadence, jitter, run length and page
 * size. Subtle accounts scrape short runs with more jitter and also shop normally.
 */
final class CatalogueScraping extends FraudPattern {
    @Override
    String type() {
        return "catalogue_scraping";
    }

    @Override
    int ringSize() {
        return 12;
    }

    @Override
    String generate(UserContext c, SplittableRandom ring, int ringNo, double intensity) {
        NormalShopper.profile(c);
        SplittableRandom r = c.r;
        Catalogue shop = c.shop;
        int[] categories = new int[Rand.between(ring, 2, 6)];
        for (int i = 0; i < categories.length; i++) {
            categories[i] = shop.popularCategory(ring);
        }
        // per account: cadence 1.5 s .. 40 s (log-uniform), relative jitter 1% .. 12%
        double gap = Math.exp(Math.log(1.5) + r.nextDouble() * Math.log(40 / 1.5));
        double jitter = 0.01 + r.nextDouble() * (intensity < SUBTLE_BELOW ? 0.2 : 0.11);
        int sessions = 1 + (int) (intensity * 6) + r.nextInt(2);
        int length = 20 + (int) (intensity * 280);
        int page = Rand.chance(r, 0.45) ? Rand.between(r, 20, 60) : 0;
        int normal = intensity < SUBTLE_BELOW ? Rand.between(r, 1, 4) : Rand.between(r, 0, 1);
        int days = (int) (c.horizon / 86_400);
        int from = r.nextInt(days);
        long[] scrapeStarts = starts(c, sessions, from, from + Rand.between(r, 1, days), Diurnal.FLAT);
        long[] normalStarts = NormalShopper.plannedStarts(c, normal);
        Scrape s = new Scrape(categories);
        interleave(c, normalStarts, scrapeStarts, u -> scrape(u, s, gap, jitter, length, page));
        return "ring " + ringNo + "; " + categories.length + " categories; every " + fmt(gap) + "s +-"
                + Math.round(jitter * 100) + "%" + (page > 0 ? "; listing every " + page + " items" : "")
                + "; sessions " + sessions + "; intensity " + fmt(intensity) + subtle(intensity);
    }

    private static final class Scrape {
        final int[] categories;
        final Set<Integer> seen = new HashSet<>();
        int next;
        int sinceListing;

        Scrape(int[] categories) {
            this.categories = categories;
        }
    }

    private static void scrape(UserContext c, Scrape s, double gap, double jitter, int length, int page) {
        SplittableRandom r = c.r;
        int n = Math.max(10, (int) Rand.logNormal(r, length, 0.25));
        for (int k = 0; k < n; k++) {
            int category = s.categories[s.next % s.categories.length];
            if (page > 0 && s.sinceListing % page == 0) {
                c.emit(Action.SEARCH, -1, category, -1);
                c.pauseExactly(cadence(r, gap, jitter));
            }
            int item = unseenItem(c.shop, category, s.seen, r);
            if (item < 0) {
                s.next++;                 // this category is exhausted: on to the next one
                continue;
            }
            c.emit(Action.VIEW, item, category, -1);
            s.sinceListing++;
            if (r.nextInt(40) == 0) {
                s.next++;
                s.sinceListing = 0;
            }
            c.pauseExactly(cadence(r, gap, jitter));
        }
    }

    /** An item of the category not viewed yet (uniform over the category), or -1 when none is left. */
    private static int unseenItem(Catalogue shop, int category, Set<Integer> seen, SplittableRandom r) {
        int first = shop.firstItem(category);
        int size = shop.endItem(category) - first;
        for (int tries = 0; tries < 30; tries++) {
            int it = first + r.nextInt(size);
            if (seen.add(it)) {
                return it;
            }
        }
        for (int it = first; it < first + size; it++) {
            if (seen.add(it)) {
                return it;
            }
        }
        return -1;
    }

    static long cadence(SplittableRandom r, double gap, double jitter) {
        return Math.max(1, Math.round(gap * (1 + jitter * r.nextGaussian())));
    }
}
