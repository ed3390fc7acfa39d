package dev.seqwatch.generate;

import java.util.SplittableRandom;

/**
 * Ordinary shoppers: a heavy-tailed number of sessions over an active window, session starts
 * following the diurnal profile, and inside a session a browse -> cart -> buy -> pay funnel with
 * drop-off at every stage, searches, favourites, occasional removals from the cart, coupons and
 * logins at the start of some sessions.
 */
final class NormalShopper {
    private NormalShopper() {
    }

    /** Draws the user's preferences, pace and active window. */
    static void profile(UserContext c) {
        SplittableRandom r = c.r;
        int k = Rand.between(r, 1, 5);
        c.preferred = new int[k];
        c.preferredWeight = new double[k];
        for (int i = 0; i < k; i++) {
            c.preferred[i] = c.shop.popularCategory(r);
            c.preferredWeight[i] = Math.pow(r.nextDouble() + 0.05, 2);
        }
        c.speed = Rand.logNormal(r, 1.0, 0.3);
        c.viewDwell = Rand.logNormal(r, 18, 0.35);
        c.endBias = Rand.logNormal(r, 1.0, 0.35);
        c.dealHunter = Rand.chance(r, 0.06);
        c.hourShift = Rand.chance(r, 0.06) ? Rand.between(r, 3, 6) : Rand.between(r, -2, 2);
        int days = (int) (c.horizon / 86_400);
        if (Rand.chance(r, 0.55)) {
            c.activeFromDay = 0;
            c.activeToDay = days - 1;
        } else {
            int len = Math.max(1, (int) (days * r.nextDouble()));
            c.activeFromDay = r.nextInt(Math.max(1, days - len + 1));
            c.activeToDay = c.activeFromDay + len - 1;
        }
    }

    /** Heavy-tailed: many users come once or twice, a few come back a hundred times. */
    static int sessionCount(SplittableRandom r) {
        double x = Math.exp(0.55 + 1.05 * r.nextGaussian());
        return (int) Math.max(1, Math.min(180, Math.round(x)));
    }

    static long[] plannedStarts(UserContext c, int n) {
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = c.sampleStart(Diurnal.SHOPPERS, true);
        }
        return UserContext.sorted(s);
    }

    /** A full normal user: profile, sessions, events. */
    static void generate(UserContext c) {
        profile(c);
        for (long start : plannedStarts(c, sessionCount(c.r))) {
            if (!c.startSession(start)) {
                break;
            }
            session(c);
        }
    }

    /** One normal session at the context's clock. */
    static void session(UserContext c) {
        SplittableRandom r = c.r;
        Catalogue shop = c.shop;
        boolean first = c.sessions <= 1;
        if (Rand.chance(r, first ? 0.55 : 0.2)) {
            c.emit(Rand.chance(r, 0.02) ? Action.LOGIN_NEW_DEVICE : Action.LOGIN);
            c.pause(4, 0.5);
            if (Rand.chance(r, 0.004)) {
                c.emit(Action.PASSWORD_CHANGE);
                c.pause(25, 0.6);
            }
        }
        int cat = c.preferredCategory();
        if (Rand.chance(r, c.dealHunter ? 0.35 : 0.03)) {
            int claims = 1 + (c.dealHunter ? r.nextInt(3) : 0);
            for (int k = 0; k < claims; k++) {
                c.emit(Action.COUPON, -1, Rand.chance(r, 0.5) ? cat : -1, -1);
                c.pause(6, 0.5);
            }
        }
        if (Rand.chance(r, 0.35)) {
            c.emit(Action.SEARCH, -1, cat, -1);
            c.pause(6, 0.6);
        }
        int item = shop.item(cat, r);
        c.emit(Action.VIEW, item, cat, -1);
        int[] cart = new int[16];
        int inCart = 0;
        double pEnd = Math.min(0.5, 0.11 * c.endBias);
        Action last = Action.VIEW;
        for (int step = 0; step < 350; step++) {
            double u = r.nextDouble();
            switch (last) {
                case VIEW, FAVORITE, COUPON -> {
                    if (u < pEnd) {
                        return;
                    }
                    c.pause(last == Action.VIEW ? c.viewDwell : 5, 0.9);
                    u = r.nextDouble();
                    if (u < 0.70 || (u >= 0.955 && u < 0.994)) {
                        item = Rand.chance(r, 0.1) ? item : shop.item(cat, r);
                        c.emit(Action.VIEW, item, cat, -1);
                        last = Action.VIEW;
                    } else if (u < 0.76) {
                        cat = c.preferredCategory();
                        item = shop.item(cat, r);
                        c.emit(Action.VIEW, item, cat, -1);
                        last = Action.VIEW;
                    } else if (u < 0.83) {
                        cat = Rand.chance(r, 0.7) ? cat : c.preferredCategory();
                        c.emit(Action.SEARCH, -1, cat, -1);
                        c.pause(6, 0.6);
                        item = shop.item(cat, r);
                        c.emit(Action.VIEW, item, cat, -1);
                        last = Action.VIEW;
                    } else if (u < 0.865) {
                        c.emit(Action.FAVORITE, item, cat, -1);
                        last = Action.FAVORITE;
                    } else if (u < 0.955) {
                        if (inCart < cart.length) {
                            cart[inCart++] = item;
                        }
                        c.emit(Action.CART, item, cat, -1);
                        last = Action.CART;
                    } else {
                        // "buy now" straight from the item page
                        buyAndPay(c, new int[]{item}, 1, false);
                        if (Rand.chance(r, 0.6)) {
                            return;
                        }
                        c.pause(15, 0.6);
                        item = shop.item(cat, r);
                        c.emit(Action.VIEW, item, cat, -1);
                        last = Action.VIEW;
                    }
                }
                case CART, REMOVE_CART -> {
                    c.pause(12, 0.8);
                    if (u < (last == Action.CART ? 0.13 : 0.25)) {
                        return;                              // abandoned cart
                    } else if (u < 0.38 && inCart > 0) {
                        boolean coupon = Rand.chance(r, c.dealHunter ? 0.45 : 0.07);
                        if (coupon) {
                            c.emit(Action.COUPON, -1, cat, -1);
                            c.pause(8, 0.5);
                        }
                        if (Rand.chance(r, 0.012)) {
                            c.emit(Action.ADDRESS_CHANGE);
                            c.pause(30, 0.5);
                        }
                        buyAndPay(c, cart, inCart, coupon);
                        inCart = 0;
                        if (Rand.chance(r, 0.55)) {
                            return;
                        }
                        c.pause(20, 0.7);
                        cat = c.preferredCategory();
                        item = shop.item(cat, r);
                        c.emit(Action.VIEW, item, cat, -1);
                        last = Action.VIEW;
                    } else if (u < (c.dealHunter ? 0.50 : 0.45) && inCart > 0) {
                        int k = r.nextInt(inCart);
                        int removed = cart[k];
                        cart[k] = cart[--inCart];
                        c.emit(Action.REMOVE_CART, removed, shop.category(removed), -1);
                        last = Action.REMOVE_CART;
                    } else {
                        item = shop.item(cat, r);
                        c.emit(Action.VIEW, item, cat, -1);
                        last = Action.VIEW;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** One buy per item (quantity 1 or 2), then usually the payment of the total. */
    static void buyAndPay(UserContext c, int[] items, int n, boolean coupon) {
        SplittableRandom r = c.r;
        long total = 0;
        int buys = Math.min(n, 4);
        for (int i = 0; i < buys; i++) {
            int it = items[i];
            long cents = (long) c.shop.priceCents(it) * (Rand.chance(r, 0.08) ? 2 : 1);
            c.emit(Action.BUY, it, c.shop.category(it), (int) cents);
            total += cents;
            c.pause(3, 0.5);
        }
        if (Rand.chance(r, 0.93)) {
            c.pause(30, 0.5);
            if (coupon) {
                total = Math.max(1, total - Math.min(total / 5, 300 + r.nextInt(700)));
            }
            c.emit(Action.PAY, -1, -1, (int) Math.min(Integer.MAX_VALUE, total));
        }
    }
}
