package dev.seqwatch.generate;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Account takeover: a genuine shopper's history, then at the takeover moment a sudden change:
 * a login from a new device (mostly), password and shipping-address changes, fast browsing of
 * expensive categories the owner never visited and high-value purchases, often at night. Some
 * owners come back days later and reset the password. Subtle takeovers skip the password change,
 * log in normally and buy once in the evening.
 */
final class AccountTakeover extends FraudPattern {
    private final Instant logStart;

    AccountTakeover(Instant logStart) {
        this.logStart = logStart;
    }

    @Override
    String type() {
        return "account_takeover";
    }

    @Override
    int ringSize() {
        return 25;
    }

    @Override
    String generate(UserContext c, SplittableRandom ring, int ringNo, double intensity) {
        NormalShopper.profile(c);
        SplittableRandom r = c.r;
        int days = (int) (c.horizon / 86_400);
        c.activeFromDay = 0;
        c.activeToDay = days - 1;
        int takeoverDay = (int) (days * (0.5 + 0.4 * r.nextDouble()));
        boolean night = Rand.chance(r, 0.3 + 0.6 * intensity);
        long takeover = takeoverDay * 86_400L
                + Diurnal.hour(r, night ? Diurnal.NIGHT : Diurnal.SHOPPERS) * 3_600L + r.nextInt(3_600);
        int history = Math.max(3, NormalShopper.sessionCount(r));
        for (long start : NormalShopper.plannedStarts(c, history)) {
            if (start >= takeover - 4 * 3_600 || !c.startSession(start)) {
                break;
            }
            NormalShopper.session(c);
        }
        int luxury = c.shop.luxuryCategory(r);
        for (int k = 0; k < 10 && c.visited(luxury); k++) {
            luxury = c.shop.luxuryCategory(r);
        }
        final int target = luxury;
        int sessions = 1 + (int) (intensity * 2.5);
        long at = takeover;
        long actual = -1;
        for (int s = 0; s < sessions; s++) {
            if (!c.startSession(at)) {
                break;
            }
            if (actual < 0) {
                actual = c.t;
            }
            attackerSession(c, target, intensity, s == 0);
            at = c.lastEvent() + (long) Rand.logNormal(r, 3 * 3_600, 0.8);
        }
        if (Rand.chance(r, 0.3) && c.startSession(c.lastEvent() + Rand.between(r, 1, 5) * 86_400L)) {
            c.emit(Action.LOGIN);                    // the owner is back and resets the password
            c.pause(20, 0.5);
            c.emit(Action.PASSWORD_CHANGE);
            c.pause(30, 0.5);
            NormalShopper.session(c);
        }
        String when = actual < 0 ? "none (log ended)" : logStart.plusSeconds(actual).toString();
        return "takeover at " + when + "; category " + (Catalogue.CATEGORY_ID_BASE + target)
                + "; " + (night ? "night" : "day") + "; intensity " + fmt(intensity) + subtle(intensity);
    }

    private static void attackerSession(UserContext c, int category, double intensity, boolean first) {
        SplittableRandom r = c.r;
        double speed = c.speed;
        c.speed = 1;                                  // the attacker has their own pace
        boolean newDevice = Rand.chance(r, 0.5 + 0.5 * intensity);
        c.emit(newDevice ? Action.LOGIN_NEW_DEVICE : Action.LOGIN);
        c.pause(5, 0.4);
        if (first && Rand.chance(r, 0.25 + 0.7 * intensity)) {
            c.emit(Action.PASSWORD_CHANGE);
            c.pause(15, 0.4);
        }
        if (Rand.chance(r, first ? 0.8 : 0.3)) {
            c.emit(Action.ADDRESS_CHANGE);
            c.pause(20, 0.4);
        }
        if (Rand.chance(r, 0.5)) {
            c.emit(Action.SEARCH, -1, category, -1);
            c.pause(4, 0.4);
        }
        int buys = 1 + (int) (intensity * 3);
        int[] cart = new int[buys];
        for (int b = 0; b < buys; b++) {
            int views = Rand.between(r, 1, 2 + (int) (3 * (1 - intensity)));
            int item = -1;
            for (int v = 0; v < views; v++) {
                item = c.shop.dearItem(category, r);
                c.emit(Action.VIEW, item, category, -1);
                c.pause(8 + 20 * (1 - intensity), 0.5);
            }
            cart[b] = item;
            c.emit(Action.CART, item, category, -1);
            c.pause(5, 0.4);
        }
        long total = 0;
        for (int item : cart) {
            long cents = (long) c.shop.priceCents(item) * Rand.between(r, 1, 1 + (int) (2 * intensity));
            cents = Math.min(Integer.MAX_VALUE / 8, cents);
            c.emit(Action.BUY, item, category, (int) cents);
            total += cents;
            c.pause(3, 0.4);
        }
        c.pause(15, 0.4);
        c.emit(Action.PAY, -1, -1, (int) Math.min(Integer.MAX_VALUE, total));
        c.speed = speed;
    }
}
