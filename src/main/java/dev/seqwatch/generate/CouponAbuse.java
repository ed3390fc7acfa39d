package dev.seqwatch.generate;

import java.util.SplittableRandom;

/**
 * Coupon and cart abuse: multi-accounts created for a promotion claim and apply coupons again and
 * again, churn the cart (add, remove, add) to probe discounts, and place tiny orders whose payment
 * is almost entirely covered by the coupon, all within the ring's promotion days. Subtle accounts
 * claim once, churn once and also shop normally.
 */
final class CouponAbuse extends FraudPattern {
    @Override
    String type() {
        return "coupon_abuse";
    }

    @Override
    int ringSize() {
        return 15;
    }

    @Override
    String generate(UserContext c, SplittableRandom ring, int ringNo, double intensity) {
        NormalShopper.profile(c);
        SplittableRandom r = c.r;
        int days = (int) (c.horizon / 86_400);
        int promoFrom = ring.nextInt(Math.max(1, days - 3));
        int promoTo = promoFrom + Rand.between(ring, 1, 3);
        c.activeFromDay = promoFrom;
        c.activeToDay = Math.min(days - 1, promoTo + r.nextInt(4));
        int category = c.shop.cheapCategory(ring);
        int sessions = 1 + (int) (intensity * 4) + r.nextInt(2);
        int coupons = 1 + (int) (intensity * 5);
        int churn = 1 + (int) (intensity * 6);
        int normal = intensity < SUBTLE_BELOW ? Rand.between(r, 1, 3) : Rand.between(r, 0, 1);
        long[] abuseStarts = starts(c, sessions, promoFrom, promoTo, Diurnal.SHOPPERS);
        long[] normalStarts = NormalShopper.plannedStarts(c, normal);
        interleave(c, normalStarts, abuseStarts, u -> session(u, category, coupons, churn));
        return "promotion days " + (promoFrom + 1) + "-" + (promoTo + 1) + "; category "
                + (Catalogue.CATEGORY_ID_BASE + category) + "; coupons/session ~" + coupons
                + "; cart churn ~" + churn + "; intensity " + fmt(intensity) + subtle(intensity);
    }

    private static void session(UserContext c, int category, int coupons, int churn) {
        SplittableRandom r = c.r;
        if (Rand.chance(r, 0.85)) {
            c.emit(Rand.chance(r, 0.35) ? Action.LOGIN_NEW_DEVICE : Action.LOGIN);
            c.pause(4, 0.4);
        }
        int n = Math.max(1, coupons + Rand.between(r, -1, 1));
        for (int k = 0; k < n; k++) {
            c.emit(Action.COUPON, -1, Rand.chance(r, 0.7) ? category : -1, -1);
            c.pause(4, 0.5);
        }
        int item = c.shop.cheapItem(category, r);
        c.emit(Action.VIEW, item, category, -1);
        c.pause(6, 0.5);
        int m = Math.max(1, churn + Rand.between(r, -1, 1));
        for (int k = 0; k < m; k++) {
            c.emit(Action.CART, item, category, -1);
            c.pause(4, 0.5);
            c.emit(Action.REMOVE_CART, item, category, -1);
            c.pause(4, 0.5);
            if (Rand.chance(r, 0.4)) {
                item = c.shop.cheapItem(category, r);
                c.emit(Action.VIEW, item, category, -1);
                c.pause(5, 0.5);
            }
        }
        c.emit(Action.CART, item, category, -1);
        c.pause(4, 0.5);
        c.emit(Action.COUPON, -1, category, -1);
        c.pause(4, 0.5);
        int cents = c.shop.priceCents(item);
        c.emit(Action.BUY, item, category, cents);
        c.pause(10, 0.5);
        int paid = Math.max(1, (int) (cents * (0.02 + 0.2 * r.nextDouble())));
        c.emit(Action.PAY, -1, -1, paid);
    }
}
