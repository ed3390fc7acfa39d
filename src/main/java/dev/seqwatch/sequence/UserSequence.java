package dev.seqwatch.sequence;

import java.util.Arrays;

/**
 * One user's events in time order, column-wise so that millions of events stay compact.
 * Codes index the dictionaries of the owning {@link SequenceSet}; -1 means "absent".
 */
public final class UserSequence {
    private final String userId;
    private final long[] eventIds;
    private final long[] timestamps;
    private final int[] actions;
    private final int[] items;
    private final int[] categories;
    private final double[] amounts;

    public UserSequence(String userId, long[] eventIds, long[] timestamps, int[] actions,
                        int[] items, int[] categories, double[] amounts) {
        int n = eventIds.length;
        if (timestamps.length != n || actions.length != n || items.length != n
                || categories.length != n || amounts.length != n) {
            throw new IllegalArgumentException("column lengths differ for user " + userId);
        }
        this.userId = userId;
        this.eventIds = eventIds;
        this.timestamps = timestamps;
        this.actions = actions;
        this.items = items;
        this.categories = categories;
        this.amounts = amounts;
    }

    public String userId() {
        return userId;
    }

    public int length() {
        return eventIds.length;
    }

    /** Store id of event {@code i}, or -1 for sequences that were never stored. */
    public long eventId(int i) {
        return eventIds[i];
    }

    /** Epoch milliseconds, UTC. */
    public long timestamp(int i) {
        return timestamps[i];
    }

    public int action(int i) {
        return actions[i];
    }

    public int item(int i) {
        return items[i];
    }

    public int category(int i) {
        return categories[i];
    }

    /** NaN where the log had no amount. */
    public double amount(int i) {
        return amounts[i];
    }

    /** Gap to the previous event in milliseconds; -1 for the first event. */
    public long gapMillis(int i) {
        return i == 0 ? -1 : timestamps[i] - timestamps[i - 1];
    }

    public long[] eventIds() {
        return eventIds.clone();
    }

    public long[] timestamps() {
        return timestamps.clone();
    }

    public int[] actions() {
        return actions.clone();
    }

    /** The events {@code from} (inclusive) to {@code to} (exclusive) as a sequence of their own. */
    public UserSequence slice(int from, int to) {
        return new UserSequence(userId, Arrays.copyOfRange(eventIds, from, to),
                Arrays.copyOfRange(timestamps, from, to), Arrays.copyOfRange(actions, from, to),
                Arrays.copyOfRange(items, from, to), Arrays.copyOfRange(categories, from, to),
                Arrays.copyOfRange(amounts, from, to));
    }
}
