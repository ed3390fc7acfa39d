package dev.seqwatch.generate;

import java.util.SplittableRandom;

/**
 * Cadence bots: one action repeated at a near-fixed interval, as a polling script does: reloading a
 * watched item's page (a price or stock watch on an item the ring shares), repeating one search,
 * logging in again and again (a session check, credential probing) or claiming a coupon until one is
 * granted. Every account draws its own action, interval (3 s .. 10 min), jitter (0.5% .. 5%, up to
 * 15% for subtle ones) and run length; subtle accounts run short and also shop normally.
 */
final class CadenceBot extends FraudPattern {
    private static final Action[] ACTIONS = {Action.VIEW, Action.VIEW, Action.SEARCH, Action.LOGIN, Action.COUPON};

    @Override
    String type() {
        return "cadence_bot";
    }

    @Override
    int ringSize() {
        return 15;
    }

    @Override
    String generate(UserContext c, SplittableRandom ring, int ringNo, double intensity) {
        NormalShopper.profile(c);
        SplittableRandom r = c.r;
        Catalogue shop = c.shop;
        int category = shop.popularCategory(ring);
        int watched = shop.item(category, ring);
        Action action = ACTIONS[r.nextInt(ACTIONS.length)];
        double interval = Math.exp(Math.log(3) + r.nextDouble() * Math.log(600 / 3.0));
        double jitter = intensity < SUBTLE_BELOW ? 0.02 + 0.13 * r.nextDouble() : 0.005 + 0.045 * r.nextDouble();
        int runs = 1 + (int) (intensity * 5) + r.nextInt(2);
        // a run lasts at most ~20 hours and at most 400 repetitions
        int length = (int) Math.max(8, Math.min(Math.min(400, 72_000 / interval), 15 + intensity * 300 * Rand.logNormal(r, 1, 0.3)));
        int normal = intensity < SUBTLE_BELOW ? Rand.between(r, 1, 4) : Rand.between(r, 0, 1);
        int days = (int) (c.horizon / 86_400);
        int from = r.nextInt(days);
        long[] botStarts = starts(c, runs, from, from + Rand.between(r, 1, days), Diurnal.FLAT);
        long[] normalStarts = NormalShopper.plannedStarts(c, normal);
        interleave(c, normalStarts, botStarts, u -> run(u, action, watched, category, interval, jitter, length));
        return action.logName() + (action == Action.VIEW ? " " + (Catalogue.ITEM_ID_BASE + watched) : "")
                + " every " + fmt(interval) + "s +-" + fmt(jitter * 100) + "%; runs " + runs + " of ~" + length
                + "; intensity " + fmt(intensity) + subtle(intensity);
    }

    private static void run(UserContext c, Action action, int watched, int category, double interval, double jitter,
                            int length) {
        SplittableRandom r = c.r;
        int n = Math.max(5, (int) Rand.logNormal(r, length, 0.2));
        for (int k = 0; k < n; k++) {
            switch (action) {
                case VIEW -> c.emit(Action.VIEW, watched, category, -1);
                case SEARCH, COUPON -> c.emit(action, -1, category, -1);
                default -> c.emit(action);
            }
            c.pauseExactly(CatalogueScraping.cadence(r, interval, jitter));
        }
    }
}
