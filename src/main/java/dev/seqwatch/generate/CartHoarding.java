package dev.seqwatch.generate;

import java.util.SplittableRandom;

/**
 * Cart hoarding (denial of inventory): a ring holds the stock of a few sought-after items by adding
 * them to carts again and again, session after session (carts expire), with a quick look at the item
 * first or not at all, now and then a removal and re-add to refresh the hold, and almost never a
 * purchase. Every account draws its own pace, carts per session, share of views and rare buy chance.
 * Subtle accounts hoard a handful of items per session and also shop normally.
 */
final class CartHoarding extends FraudPattern {
    @Override
    String type() {
        return "cart_hoarding";
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
        int[] targets = distinctItems(shop, category, Rand.between(ring, 3, 25), ring, false);
        int days = (int) (c.horizon / 86_400);
        int from = ring.nextInt(Math.max(1, days - 6));
        int to = from + Rand.between(ring, 3, 20);

        int sessions = 1 + (int) (intensity * 8) + r.nextInt(2);
        int carts = 4 + (int) (intensity * 50 * Rand.logNormal(r, 1, 0.3));
        double gap = Rand.logNormal(r, 3 + 6 * (1 - intensity), 0.4);
        double viewFirst = 0.1 + 0.8 * r.nextDouble();
        double refresh = 0.3 * r.nextDouble();
        double buy = 0.01 + 0.05 * r.nextDouble();
        double focus = 0.6 + 0.38 * intensity;
        int normal = intensity < SUBTLE_BELOW ? Rand.between(r, 2, 5) : Rand.between(r, 0, 1);
        long[] hoardStarts = starts(c, sessions, from, to, Rand.chance(r, 0.5) ? Diurnal.FLAT : Diurnal.SHOPPERS);
        long[] normalStarts = NormalShopper.plannedStarts(c, normal);
        interleave(c, normalStarts, hoardStarts,
                u -> session(u, targets, category, carts, gap, viewFirst, refresh, buy, focus));
        return "ring " + ringNo + "; items " + ids(targets) + "; carts/session ~" + carts + "; gap ~" + fmt(gap)
                + "s; sessions " + sessions + "; intensity " + fmt(intensity) + subtle(intensity);
    }

    private static void session(UserContext c, int[] targets, int category, int carts, double gap,
                                double viewFirst, double refresh, double buy, double focus) {
        SplittableRandom r = c.r;
        if (Rand.chance(r, 0.5)) {
            c.emit(Action.LOGIN);
            c.pause(3, 0.3);
        }
        int n = Math.max(2, (int) Rand.logNormal(r, carts, 0.3));
        int last = -1;
        for (int k = 0; k < n; k++) {
            int item = Rand.chance(r, focus) ? targets[r.nextInt(targets.length)] : c.shop.item(category, r);
            if (Rand.chance(r, viewFirst)) {
                c.emit(Action.VIEW, item, category, -1);
                c.pause(gap, 0.25);
            }
            c.emit(Action.CART, item, category, -1);
            c.pause(gap, 0.25);
            if (Rand.chance(r, refresh)) {
                c.emit(Action.REMOVE_CART, item, category, -1);
                c.pause(gap, 0.25);
                c.emit(Action.CART, item, category, -1);
                c.pause(gap, 0.25);
            }
            last = item;
        }
        if (last >= 0 && Rand.chance(r, buy)) {
            int cents = c.shop.priceCents(last);
            c.emit(Action.BUY, last, category, cents);
            c.pause(gap * 2, 0.4);
            c.emit(Action.PAY, -1, -1, cents);
        }
    }
}
