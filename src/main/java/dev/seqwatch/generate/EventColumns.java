package dev.seqwatch.generate;

import java.util.Arrays;

/** A growable block of events held column-wise in primitive arrays (no object per event). */
final class EventColumns implements EventSink {
    int size;
    int[] second;
    int[] user;
    byte[] action;
    int[] item;
    int[] category;
    int[] cents;

    EventColumns(int capacity) {
        second = new int[capacity];
        user = new int[capacity];
        action = new byte[capacity];
        item = new int[capacity];
        category = new int[capacity];
        cents = new int[capacity];
    }

    @Override
    public void accept(int u, long s, int a, int it, int cat, int amountCents) {
        if (size == second.length) {
            int n = size * 2;
            second = Arrays.copyOf(second, n);
            user = Arrays.copyOf(user, n);
            action = Arrays.copyOf(action, n);
            item = Arrays.copyOf(item, n);
            category = Arrays.copyOf(category, n);
            cents = Arrays.copyOf(cents, n);
        }
        second[size] = (int) s;
        user[size] = u;
        action[size] = (byte) a;
        item[size] = it;
        category[size] = cat;
        cents[size] = amountCents;
        size++;
    }

    /**
     * Indices in time order; ties keep insertion order (users ascending, then each user's own
     * order), so the global order is (time, user, position).
     */
    int[] timeOrder() {
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) {
            keys[i] = ((long) second[i] << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    void clear() {
        size = 0;
    }
}
