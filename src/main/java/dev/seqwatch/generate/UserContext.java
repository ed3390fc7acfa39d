package dev.seqwatch.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One user being generated: its random stream, its shopping profile and the clock of its
 * timeline. Events are strictly increasing in time per user (at least one second apart), so no
 * two of a user's events collide on (time, action, item).
 */
final class UserContext {
    static final int SESSION_GAP_SECONDS = 30 * 60;
    static final int MAX_EVENTS_PER_USER = 6_000;

    final SplittableRandom r;
    final Catalogue shop;
    final int user;
    final long horizon;
    private final EventSink sink;

    long t;
    private long lastEvent = -1;
    int events;
    int sessions;

    // shopping profile
    int[] preferred;
    double[] preferredWeight;
    double speed;          // multiplies dwell times
    double viewDwell;      // median seconds on an item page
    double endBias;        // multiplies the chance to end a session
    int hourShift;
    boolean dealHunter;    // claims coupons and churns the cart more than most
    int activeFromDay;
    int activeToDay;
    boolean[] visitedCategory;

    UserContext(int user, SplittableRandom r, Catalogue shop, long horizon, EventSink sink) {
        this.user = user;
        this.r = r;
        this.shop = shop;
        this.horizon = horizon;
        this.sink = sink;
        this.visitedCategory = new boolean[shop.categories()];
    }

    void emit(Action a, int item, int category, int cents) {
        if (events >= MAX_EVENTS_PER_USER) {
            return;
        }
        if (t <= lastEvent) {
            t = lastEvent + 1;
        }
        sink.accept(user, t, a.ordinal(), item, category, cents);
        if (category >= 0) {
            visitedCategory[category] = true;
        }
        lastEvent = t;
        events++;
    }

    void emit(Action a) {
        emit(a, -1, -1, -1);
    }

    /** Waits a log-normal time (scaled by the user's speed), kept inside one session. */
    void pause(double medianSeconds, double sigma) {
        long s = Math.round(Rand.logNormal(r, medianSeconds * speed, sigma));
        t += Math.max(1, Math.min(SESSION_GAP_SECONDS - 300, s));
    }

    void pauseExactly(long seconds) {
        t += Math.max(1, seconds);
    }

    /**
     * Moves the clock to a session start no earlier than planned and at least the inactivity gap
     * after the previous event; false when that is past the end of the log.
     */
    boolean startSession(long plannedStart) {
        long s = lastEvent < 0 ? plannedStart
                : Math.max(plannedStart, lastEvent + SESSION_GAP_SECONDS + 60 + r.nextInt(1800));
        if (s >= horizon - 600 || events >= MAX_EVENTS_PER_USER) {
            return false;
        }
        t = s;
        sessions++;
        return true;
    }

    long lastEvent() {
        return lastEvent;
    }

    /** A session start on a day of the user's active window at an hour from the profile. */
    long sampleStart(double[] hourWeights, boolean shifted) {
        int days = (int) (horizon / 86_400);
        int from = Math.min(activeFromDay, days - 1);
        int to = Math.min(Math.max(activeToDay, from), days - 1);
        int day = Rand.between(r, from, to);
        int hour = Diurnal.hour(r, hourWeights);
        if (shifted) {
            hour = Math.floorMod(hour + hourShift, 24);
        }
        return day * 86_400L + hour * 3_600L + r.nextInt(3_600);
    }

    int preferredCategory() {
        if (Rand.chance(r, 0.18)) {
            return shop.popularCategory(r);
        }
        return preferred[Rand.weighted(r, preferredWeight)];
    }

    boolean visited(int category) {
        return visitedCategory[category];
    }

    static long[] sorted(long[] a) {
        Arrays.sort(a);
        return a;
    }
}
