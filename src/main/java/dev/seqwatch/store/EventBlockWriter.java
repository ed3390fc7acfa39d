package dev.seqwatch.store;

import dev.seqwatch.common.StringCodes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the events of one import as {@link EventBlock}s. Events arrive in any order; they are kept
 * column-wise in memory (about 30 bytes each plus the distinct strings) until {@code flushEvents} have
 * gathered, then grouped by user (ascending id), time-ordered per user and written as blocks of about
 * {@link EventBlock#TARGET_EVENTS} events. A user whose events straddle two flushes has events in two
 * blocks; readers merge them. The caller owns the transaction (commit per flush or at the end).
 */
public final class EventBlockWriter {
    /** Events gathered before a flush: ~4M events take ~150 MB of heap. */
    public static final int DEFAULT_FLUSH_EVENTS = 4_000_000;

    private final Connection c;
    private final int importId;
    private final int flushEvents;
    private long nextEventId;
    private int nextBlockNo;
    private long written;

    private final StringCodes users = new StringCodes();
    private final StringCodes actions = new StringCodes();
    private final StringCodes items = new StringCodes();
    private final StringCodes categories = new StringCodes();
    private int n;
    private int[] user = new int[1024];
    private long[] ts = new long[1024];
    private int[] action = new int[1024];
    private int[] item = new int[1024];
    private int[] category = new int[1024];
    private double[] amount = new double[1024];
    private long[] tag;
    private IdListener idListener;

    /** Told the id each event got; see {@link #add(String, long, String, String, String, double, long)}. */
    @FunctionalInterface
    public interface IdListener {
        void assigned(long tag, long eventId) throws SQLException;
    }

    public EventBlockWriter(Connection c, int importId, long firstEventId) {
        this(c, importId, firstEventId, DEFAULT_FLUSH_EVENTS);
    }

    public EventBlockWriter(Connection c, int importId, long firstEventId, int flushEvents) {
        this.c = c;
        this.importId = importId;
        this.nextEventId = firstEventId;
        this.flushEvents = Math.max(1, flushEvents);
    }

    /** Reports the id given to each event added with a tag (used when converting older workspaces). */
    public EventBlockWriter onIdAssigned(IdListener l) {
        this.idListener = l;
        this.tag = new long[ts.length];
        return this;
    }

    /** Adds one event with a caller's tag reported to the {@link IdListener} when its id is known. */
    public boolean add(String userId, long tsMillis, String actionName, String itemId, String categoryId, double amt,
                       long eventTag) throws SQLException {
        if (tag.length < ts.length || n == tag.length) {
            tag = Arrays.copyOf(tag, Math.max(ts.length, n + (n >> 1) + 1));
        }
        tag[n] = eventTag;
        return add(userId, tsMillis, actionName, itemId, categoryId, amt);
    }

    /**
     * Adds one event. Strings are taken as they are (the caller validated them).
     *
     * @return true when this call flushed blocks to the database (a good moment to commit)
     */
    public boolean add(String userId, long tsMillis, String actionName, String itemId, String categoryId, double amt)
            throws SQLException {
        if (n == ts.length) {
            int cap = n + (n >> 1);
            user = Arrays.copyOf(user, cap);
            ts = Arrays.copyOf(ts, cap);
            action = Arrays.copyOf(action, cap);
            item = Arrays.copyOf(item, cap);
            category = Arrays.copyOf(category, cap);
            amount = Arrays.copyOf(amount, cap);
        }
        user[n] = users.code(userId);
        ts[n] = tsMillis;
        action[n] = actions.code(actionName);
        item[n] = itemId == null || itemId.isEmpty() ? -1 : items.code(itemId);
        category[n] = categoryId == null || categoryId.isEmpty() ? -1 : categories.code(categoryId);
        amount[n] = amt;
        n++;
        if (n >= flushEvents) {
            flush();
            return true;
        }
        return false;
    }

    /** Writes what is buffered; returns the next free event id. */
    public long finish() throws SQLException {
        flush();
        return nextEventId;
    }

    /** Events written so far. */
    public long written() {
        return written;
    }

    public long nextEventId() {
        return nextEventId;
    }

    private void flush() throws SQLException {
        if (n == 0) {
            return;
        }
        int nu = users.size();
        // users in ascending id order
        Integer[] byName = new Integer[nu];
        for (int i = 0; i < nu; i++) {
            byName[i] = i;
        }
        String[] names = users.toArray();
        Arrays.sort(byName, (x, y) -> names[x].compareTo(names[y]));
        int[] rank = new int[nu];
        for (int r = 0; r < nu; r++) {
            rank[byName[r]] = r;
        }
        // counting sort of the events by user rank (stable: arrival order within a user)
        int[] start = new int[nu + 1];
        for (int k = 0; k < n; k++) {
            start[rank[user[k]] + 1]++;
        }
        for (int r = 0; r < nu; r++) {
            start[r + 1] += start[r];
        }
        int[] order = new int[n];
        int[] fill = Arrays.copyOf(start, nu);
        for (int k = 0; k < n; k++) {
            order[fill[rank[user[k]]]++] = k;
        }
        for (int r = 0; r < nu; r++) {
            sortByTime(order, start[r], start[r + 1]);
        }
        try (PreparedStatement meta = c.prepareStatement("INSERT INTO event_block (import_id, block_no, first_event_id, "
                + "n_events, n_users, min_user, max_user) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement data = c.prepareStatement(
                     "INSERT INTO event_block_data (import_id, block_no, data) VALUES (?, ?, ?)")) {
            LocalDict la = new LocalDict(actions);
            LocalDict li = new LocalDict(items);
            LocalDict lc = new LocalDict(categories);
            int r = 0;
            while (r < nu) {
                int r2 = r;
                while (r2 < nu && (r2 == r || start[r2] - start[r] < EventBlock.TARGET_EVENTS)) {
                    r2++;
                }
                int from = start[r];
                int m = start[r2] - from;
                String[] ids = new String[r2 - r];
                int[] us = new int[r2 - r + 1];
                for (int q = r; q < r2; q++) {
                    ids[q - r] = names[byName[q]];
                    us[q - r + 1] = start[q + 1] - from;
                }
                long[] bts = new long[m];
                int[] ba = new int[m];
                int[] bi = new int[m];
                int[] bc = new int[m];
                double[] bm = new double[m];
                for (int j = 0; j < m; j++) {
                    int k = order[from + j];
                    bts[j] = ts[k];
                    ba[j] = la.local(action[k]);
                    bi[j] = li.local(item[k]);
                    bc[j] = lc.local(category[k]);
                    bm[j] = amount[k];
                    if (idListener != null) {
                        idListener.assigned(tag[k], nextEventId + j);
                    }
                }
                byte[] blob = EventBlock.encode(ids, us, bts, ba, bi, bc, bm, la.names(), li.names(), lc.names());
                la.reset();
                li.reset();
                lc.reset();
                int blockNo = nextBlockNo++;
                meta.setInt(1, importId);
                meta.setInt(2, blockNo);
                meta.setLong(3, nextEventId);
                meta.setInt(4, m);
                meta.setInt(5, ids.length);
                meta.setString(6, ids[0]);
                meta.setString(7, ids[ids.length - 1]);
                meta.executeUpdate();
                data.setInt(1, importId);
                data.setInt(2, blockNo);
                data.setBytes(3, blob);
                data.executeUpdate();
                nextEventId += m;
                written += m;
                r = r2;
            }
        }
        n = 0;
        users.clear();
        actions.clear();
        items.clear();
        categories.clear();
    }

    /** Stable sort of {@code order[from, to)} by event time (insertion sort when nearly sorted, the usual case). */
    private void sortByTime(int[] order, int from, int to) {
        boolean sorted = true;
        for (int i = from + 1; i < to && sorted; i++) {
            sorted = ts[order[i - 1]] <= ts[order[i]];
        }
        if (sorted) {
            return;
        }
        Integer[] box = new Integer[to - from];
        for (int i = from; i < to; i++) {
            box[i - from] = order[i];
        }
        Arrays.sort(box, (x, y) -> Long.compare(ts[x], ts[y])); // stable merge sort
        for (int i = from; i < to; i++) {
            order[i] = box[i - from];
        }
    }

    /** Block-local codes for a writer dictionary's codes. */
    private static final class LocalDict {
        private final StringCodes global;
        private int[] map;
        private final List<String> local = new ArrayList<>();
        private final List<Integer> touched = new ArrayList<>();

        LocalDict(StringCodes global) {
            this.global = global;
            this.map = new int[Math.max(1, global.size())];
            Arrays.fill(map, -1);
        }

        int local(int g) {
            if (g < 0) {
                return -1;
            }
            int l = map[g];
            if (l < 0) {
                l = local.size();
                local.add(global.name(g));
                map[g] = l;
                touched.add(g);
            }
            return l;
        }

        String[] names() {
            return local.toArray(String[]::new);
        }

        void reset() {
            for (int g : touched) {
                map[g] = -1;
            }
            touched.clear();
            local.clear();
        }
    }
}
