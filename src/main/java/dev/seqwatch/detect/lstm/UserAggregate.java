package dev.seqwatch.detect.lstm;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a user's step scores become one user score, and the per-user summary features the supervised
 * head learns from. Which aggregate is the default was decided by measurement on labelled sample
 * sessions (see README, section "The LSTM detector").
 */
public enum UserAggregate {
    MAX, MEAN, TOP5_MEAN, P90, SUM,
    /** DeepLog's criterion: how many steps ranked outside the model's top g. */
    TOPG_COUNT,
    /** The share of a user's steps that ranked outside the top g. */
    TOPG_SHARE,
    /**
     * Two-sided: how far the user's mean surprisal lies from the training users of its length, in either
     * direction ({@code |robust z|}, {@link LengthNorms}): far more predictable counts as much as far more surprising.
     */
    MEAN_Z,
    /**
     * Two-sided: the largest of the upper-tail z of the top-5 mean against all training users (a few very
     * surprising steps, as {@code top5_mean} ranks them) and the lower-tail z of the mean surprisal and of its
     * spread against the training users of the user's length (far too predictable, far too regular for
     * that length: scripts, bots, scrapers).
     */
    TWO_SIDED;

    public static UserAggregate parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new dev.seqwatch.common.UserFacingException("unknown LSTM aggregate '" + s
                    + "'; choose one of max, mean, top5_mean, p90, sum, topg_count, topg_share");
        }
    }

    /** Needs ranks: the rank criterion's aggregates. */
    public boolean usesRanks() {
        return this == TOPG_COUNT || this == TOPG_SHARE;
    }

    /** Needs the training users' length norms: the two-sided aggregates. */
    public boolean usesNorms() {
        return this == MEAN_Z || this == TWO_SIDED;
    }

    /**
     * The user score from step surprisals, (for the rank aggregates) step ranks against top {@code g}, and
     * (for the two-sided ones) the training users' norms; a user without a finite step scores 0.
     */
    double of(double[] steps, int[] ranks, int g, LengthNorms norms) {
        if (usesNorms()) {
            if (norms == null) {
                throw new dev.seqwatch.common.UserFacingException("aggregate " + name().toLowerCase(Locale.ROOT)
                        + " needs the training users' length norms, which this model does not have (trained before"
                        + " two-sided scores existed): train it again");
            }
            double[] z = norms.z(steps);
            if (z == null) {
                return 0;
            }
            if (this == MEAN_Z) {
                return Math.abs(z[LengthNorms.MEAN]);
            }
            double surprising = norms.zAll(steps)[LengthNorms.TOP5];
            return Math.max(surprising, Math.max(-z[LengthNorms.MEAN], -z[LengthNorms.SPREAD]));
        }
        return of(steps, ranks, g);
    }

    /** The user score from step surprisals and (for the rank aggregates) step ranks against top {@code g}. */
    public double of(double[] steps, int[] ranks, int g) {
        if (usesNorms()) {
            throw new IllegalStateException(this + " needs length norms");
        }
        if (!usesRanks()) {
            return of(steps);
        }
        int n = 0;
        int out = 0;
        for (int r : ranks) {
            if (r > 0) {
                n++;
                out += r > g ? 1 : 0;
            }
        }
        return this == TOPG_COUNT ? out : n == 0 ? 0 : (double) out / n;
    }

    public double of(double[] steps) {
        if (usesRanks() || usesNorms()) {
            throw new IllegalStateException(this + " needs step ranks or length norms");
        }
        double[] s = finite(steps);
        if (s.length == 0) {
            return 0;
        }
        Arrays.sort(s);
        return switch (this) {
            case MAX -> s[s.length - 1];
            case MEAN -> Arrays.stream(s).sum() / s.length;
            case TOP5_MEAN -> topMean(s, 5);
            case P90 -> s[(int) Math.min(s.length - 1, Math.floor(0.9 * (s.length - 1) + 0.5))];
            case SUM -> Arrays.stream(s).sum();
            case TOPG_COUNT, TOPG_SHARE, MEAN_Z, TWO_SIDED -> throw new IllegalStateException(this + " needs step ranks or norms");
        };
    }

    private static double topMean(double[] sorted, int k) {
        int n = Math.min(k, sorted.length);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += sorted[sorted.length - 1 - i];
        }
        return sum / n;
    }

    private static double[] finite(double[] steps) {
        return Arrays.stream(steps).filter(Double::isFinite).toArray();
    }

    public static final String[] FEATURES = {"max", "mean", "top5_mean", "p90", "log_length", "frac_over_3"};

    /** Summary features of one user's step scores (for the supervised head). */
    public static double[] features(double[] steps) {
        double[] s = finite(steps);
        double over = 0;
        for (double v : s) {
            if (v > 3.0) {
                over++;
            }
        }
        return new double[]{MAX.of(s), MEAN.of(s), TOP5_MEAN.of(s), P90.of(s), Math.log1p(s.length),
                s.length == 0 ? 0 : over / s.length};
    }
}
