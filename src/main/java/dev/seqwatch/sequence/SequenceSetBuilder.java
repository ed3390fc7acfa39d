package dev.seqwatch.sequence;

import dev.seqwatch.common.StringCodes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects events in any order and builds a {@link SequenceSet}: one time-ordered sequence per
 * user (ties keep arrival order), with dictionaries for actions, items and categories.
 */
public final class SequenceSetBuilder {
    private final StringCodes actions = new StringCodes();
    private final StringCodes items = new StringCodes();
    private final StringCodes categories = new StringCodes();
    private final Map<String, Columns> byUser = new LinkedHashMap<>();

    /** Fixes the action dictionary's first entries, e.g. to reuse a trained model's vocabulary order. */
    public SequenceSetBuilder withActions(List<String> names) {
        for (String n : names) {
            actions.code(n);
        }
        return this;
    }

    /**
     * @param item     may be null or empty
     * @param category may be null or empty
     * @param amount   NaN when absent
     */
    public SequenceSetBuilder add(long eventId, String userId, long tsMillis, String action, String item,
                                  String category, double amount) {
        Columns c = byUser.computeIfAbsent(userId, k -> new Columns());
        c.add(eventId, tsMillis, actions.code(action), codeOrAbsent(items, item),
                codeOrAbsent(categories, category), amount);
        return this;
    }

    public SequenceSet build() {
        List<UserSequence> users = new ArrayList<>(byUser.size());
        for (Map.Entry<String, Columns> e : byUser.entrySet()) {
            users.add(e.getValue().toSequence(e.getKey()));
        }
        return new SequenceSet(actions.names(), items.names(), categories.names(), users);
    }

    private static int codeOrAbsent(StringCodes d, String name) {
        return name == null || name.isEmpty() ? -1 : d.code(name);
    }

    private static final class Columns {
        long[] ids = new long[4];
        long[] ts = new long[4];
        int[] act = new int[4];
        int[] item = new int[4];
        int[] cat = new int[4];
        double[] amt = new double[4];
        int n;

        void add(long id, long t, int a, int i, int c, double m) {
            if (n == ids.length) {
                int cap = n * 2;
                ids = java.util.Arrays.copyOf(ids, cap);
                ts = java.util.Arrays.copyOf(ts, cap);
                act = java.util.Arrays.copyOf(act, cap);
                item = java.util.Arrays.copyOf(item, cap);
                cat = java.util.Arrays.copyOf(cat, cap);
                amt = java.util.Arrays.copyOf(amt, cap);
            }
            ids[n] = id;
            ts[n] = t;
            act[n] = a;
            item[n] = i;
            cat[n] = c;
            amt[n] = m;
            n++;
        }

        UserSequence toSequence(String userId) {
            boolean sorted = true;
            for (int i = 1; i < n && sorted; i++) {
                sorted = ts[i - 1] <= ts[i];
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (!sorted) {
                java.util.Arrays.sort(order, (x, y) -> Long.compare(ts[x], ts[y])); // stable
            }
            long[] oIds = new long[n];
            long[] oTs = new long[n];
            int[] oAct = new int[n];
            int[] oItem = new int[n];
            int[] oCat = new int[n];
            double[] oAmt = new double[n];
            for (int k = 0; k < n; k++) {
                int i = order[k];
                oIds[k] = ids[i];
                oTs[k] = ts[i];
                oAct[k] = act[i];
                oItem[k] = item[i];
                oCat[k] = cat[i];
                oAmt[k] = amt[i];
            }
            return new UserSequence(userId, oIds, oTs, oAct, oItem, oCat, oAmt);
        }
    }
}
