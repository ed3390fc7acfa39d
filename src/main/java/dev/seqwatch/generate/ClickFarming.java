package dev.seqwatch.generate;

import java.util.SplittableRandom;

/**
 * Click farming: rings of accounts inflate the views of a few target items in bursts of many
 * views with gaps of a few seconds, around the clock during the ring's campaign days; some
 * favourites, rare carts, never a purchase. Camouflage: a share of views goes to other items of
 * the same category, and normal sessions are mixed in (more of them for subtle accounts).
 */
final class ClickFarming extends FraudPattern {
    @Override
    String type() {
        return "click_farming";
    }

    @Override
    int ringSize() {
        return 10;
    }

    @Override
    String generate(UserContext c, SplittableRandom ring, int ringNo, double intensity) {
        NormalShopper.profile(c);
        SplittableRandom r = c.r;
        Catalogue shop = c.shop;
        int category = shop.popularCategory(ring);
        int[] targets = distinctItems(shop, category, Rand.between(ring, 1, 4), ring, false);
        int days = (int) (c.horizon / 86_400);
        int campaignFrom = ring.nextInt(Math.max(1, days - 5));
        int campaignTo = campaignFrom + Rand.between(ring, 3, 12);

        int bursts = 1 + (int) (intensity * 13) + r.nextInt(2);
        int burstLen = 8 + (int) (intensity * 140);
        double gap = 2 + (1 - intensity) * 7 * Rand.logNormal(r, 1, 0.2);
        double focus = 0.65 + 0.33 * intensity;
        int normal = intensity < SUBTLE_BELOW ? Rand.between(r, 2, 6) : Rand.between(r, 0, 2);
        long[] farmStarts = starts(c, bursts, campaignFrom, campaignTo,
                Rand.chance(r, 0.5) ? Diurnal.FLAT : Diurnal.SHOPPERS);
        long[] normalStarts = NormalShopper.plannedStarts(c, normal);
        interleave(c, normalStarts, farmStarts, u -> burst(u, targets, category, burstLen, gap, focus));
        return "ring " + ringNo + "; targets " + ids(targets) + "; bursts " + bursts + "; gap ~"
                + fmt(gap) + "s; intensity " + fmt(intensity) + subtle(intensity);
    }

    private static void burst(UserContext c, int[] targets, int category, int len, double gap, double focus) {
        SplittableRandom r = c.r;
        if (Rand.chance(r, 0.5)) {
            c.emit(Action.LOGIN);
            c.pause(2, 0.3);
        }
        int n = Math.max(5, (int) Rand.logNormal(r, len, 0.35));
        for (int k = 0; k < n; k++) {
            boolean onTarget = Rand.chance(r, focus);
            int item = onTarget ? targets[r.nextInt(targets.length)] : c.shop.item(category, r);
            c.emit(Action.VIEW, item, category, -1);
            c.pause(gap, 0.35);
            if (onTarget && Rand.chance(r, 0.04)) {
                c.emit(Action.FAVORITE, item, category, -1);
                c.pause(gap, 0.35);
            } else if (onTarget && Rand.chance(r, 0.008)) {
                c.emit(Action.CART, item, category, -1);
                c.pause(gap, 0.35);
            }
        }
    }
}
