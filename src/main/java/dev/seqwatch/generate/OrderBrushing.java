package dev.seqwatch.generate;

import java.util.SplittableRandom;

/**
 * Order brushing: a seller's ring of accounts buys the seller's cheap item(s) over and over to
 * fake sales and reviews: (search) -> view -> (cart) -> buy -> pay within seconds, several orders
 * per session, mostly at odd hours. Subtle accounts place two or three orders at ordinary hours
 * and shop normally otherwise.
 */
final class OrderBrushing extends FraudPattern {
    @Override
    String type() {
        return "order_brushing";
    }

    @Override
    int ringSize() {
        return 8;
    }

    @Override
    String generate(UserContext c, SplittableRandom ring, int ringNo, double intensity) {
        NormalShopper.profile(c);
        SplittableRandom r = c.r;
        Catalogue shop = c.shop;
        int category = shop.cheapCategory(ring);
        int[] targets = distinctItems(shop, category, Rand.between(ring, 1, 2), ring, true);
        int days = (int) (c.horizon / 86_400);
        int from = ring.nextInt(Math.max(1, days - 7));
        int to = from + Rand.between(ring, 4, 14);

        int sessions = 1 + (int) (intensity * 6) + r.nextInt(2);
        int orders = 2 + (int) (intensity * 9);
        double gap = 2 + (1 - intensity) * 6;
        boolean night = Rand.chance(r, 0.35 + 0.55 * intensity);
        int normal = intensity < SUBTLE_BELOW ? Rand.between(r, 2, 5) : Rand.between(r, 0, 2);
        long[] brushStarts = starts(c, sessions, from, to, night ? Diurnal.NIGHT : Diurnal.SHOPPERS);
        long[] normalStarts = NormalShopper.plannedStarts(c, normal);
        interleave(c, normalStarts, brushStarts, u -> session(u, targets, category, orders, gap));
        return "ring " + ringNo + "; items " + ids(targets) + "; sessions " + sessions + "; orders/session ~"
                + orders + "; " + (night ? "night" : "day") + "; intensity " + fmt(intensity) + subtle(intensity);
    }

    private static void session(UserContext c, int[] targets, int category, int orders, double gap) {
        SplittableRandom r = c.r;
        if (Rand.chance(r, 0.6)) {
            c.emit(Action.LOGIN);
            c.pause(3, 0.4);
        }
        if (Rand.chance(r, 0.5)) {
            c.emit(Action.SEARCH, -1, category, -1);
            c.pause(gap, 0.4);
        }
        int n = Math.max(1, orders + Rand.between(r, -1, 2));
        for (int k = 0; k < n; k++) {
            int item = targets[r.nextInt(targets.length)];
            if (Rand.chance(r, 0.15)) {
                int other = c.shop.item(category, r);
                c.emit(Action.VIEW, other, category, -1);
                c.pause(gap, 0.4);
            }
            c.emit(Action.VIEW, item, category, -1);
            c.pause(gap, 0.4);
            if (Rand.chance(r, 0.3)) {
                c.emit(Action.CART, item, category, -1);
                c.pause(gap, 0.4);
            }
            int cents = c.shop.priceCents(item);
            c.emit(Action.BUY, item, category, cents);
            c.pause(gap, 0.4);
            c.emit(Action.PAY, -1, -1, cents);
            c.pause(gap * 2.5, 0.5);
        }
    }
}
