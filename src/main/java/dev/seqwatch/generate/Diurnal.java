package dev.seqwatch.generate;

import java.util.SplittableRandom;

/** Hour-of-day profiles for session starts (the log's UTC clock is the shop's local clock). */
final class Diurnal {
    private Diurnal() {
    }

    /** Shoppers: little at night, a lunch bump, the peak from 19:00 to 22:00. */
    static final double[] SHOPPERS = {
            1.2, 0.6, 0.35, 0.25, 0.25, 0.35, 0.8, 1.6, 2.2, 2.6, 2.8, 3.0,
            3.4, 3.0, 2.8, 2.8, 3.0, 3.4, 4.0, 5.0, 5.6, 5.4, 4.2, 2.5};

    /** Odd hours: mostly 00:00-05:59. */
    static final double[] NIGHT = {
            4, 5, 5, 5, 4, 3, 1, 0.3, 0.2, 0.2, 0.2, 0.2,
            0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.3, 0.6, 2};

    /** Around the clock, as scripts and farms run. */
    static final double[] FLAT = {
            1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
            1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

    static int hour(SplittableRandom r, double[] weights) {
        return Rand.weighted(r, weights);
    }
}
