package dev.seqwatch.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One stored block of events, decoded: whole users of one import, users in ascending id order, each
 * user's events in time order (ties in arrival order). Event {@code k} of the block has the id
 * {@code firstEventId + k}.
 *
 * <p>Why blocks: H2 stores about 20-80k rows/s on these machines whatever the row looks like (its own
 * {@code CSVREAD} included), so one row per event cannot import 10M events in 20 s. A block holds up
 * to {@link #TARGET_EVENTS} events column-wise with block-local dictionaries and varint encoding
 * (about 6-10 bytes per event), one row per block.
 *
 * <p>Encoding (all integers unsigned LEB128 varints unless said otherwise):
 * {@code "SWB1"}, users, events, then per user its id (UTF-8 length + bytes) and event count, then
 * three string tables (actions, items, categories: count, then the strings), then per event: the time
 * as a zig-zag delta to the user's previous event (the first against 0), action code, item code + 1
 * (0 = none), category code + 1, and a flag byte (0 = no amount, 1 = an IEEE double follows, 8 bytes
 * little-endian).
 */
public final class EventBlock {
    /** Blocks close after the user that brings them to this many events (a bigger user gets one block). */
    public static final int TARGET_EVENTS = 65_536;
    private static final int MAGIC = 0x53574231; // "SWB1"

    public final long firstEventId;
    public final String[] userIds;
    /** Events of user {@code u} are {@code [userStart[u], userStart[u + 1])}. */
    public final int[] userStart;
    public final long[] ts;
    public final int[] action;
    /** -1 = none */
    public final int[] item;
    /** -1 = none */
    public final int[] category;
    /** NaN = none */
    public final double[] amount;
    public final String[] actionNames;
    public final String[] itemNames;
    public final String[] categoryNames;

    EventBlock(long firstEventId, String[] userIds, int[] userStart, long[] ts, int[] action, int[] item,
               int[] category, double[] amount, String[] actionNames, String[] itemNames, String[] categoryNames) {
        this.firstEventId = firstEventId;
        this.userIds = userIds;
        this.userStart = userStart;
        this.ts = ts;
        this.action = action;
        this.item = item;
        this.category = category;
        this.amount = amount;
        this.actionNames = actionNames;
        this.itemNames = itemNames;
        this.categoryNames = categoryNames;
    }

    public int events() {
        return ts.length;
    }

    public int users() {
        return userIds.length;
    }

    /** Index of {@code userId} in this block, or -1. */
    public int indexOf(String userId) {
        int i = Arrays.binarySearch(userIds, userId);
        return i >= 0 ? i : -1;
    }

    public String itemName(int k) {
        return item[k] < 0 ? null : itemNames[item[k]];
    }

    public String categoryName(int k) {
        return category[k] < 0 ? null : categoryNames[category[k]];
    }

    // ---------------------------------------------------------------- encoding

    /**
     * Encodes a block. Events are given column-wise in block order (index 0 first) with codes into the
     * given name tables; {@code userStart} starts at 0 and has one more entry than {@code userIds}.
     */
    static byte[] encode(String[] userIds, int[] userStart, long[] ts, int[] action, int[] item, int[] category,
                         double[] amount, String[] actionNames, String[] itemNames, String[] categoryNames) {
        int n = userStart[userIds.length];
        Out o = new Out(64 + n * 8);
        o.int32(MAGIC);
        o.varint(userIds.length);
        o.varint(n);
        for (int u = 0; u < userIds.length; u++) {
            o.string(userIds[u]);
            o.varint(userStart[u + 1] - userStart[u]);
        }
        o.strings(actionNames);
        o.strings(itemNames);
        o.strings(categoryNames);
        for (int u = 0; u < userIds.length; u++) {
            long prev = 0;
            for (int k = userStart[u]; k < userStart[u + 1]; k++) {
                int j = k;
                long d = ts[j] - prev;
                prev = ts[j];
                o.varlong((d << 1) ^ (d >> 63));
                o.varint(action[j]);
                o.varint(item[j] + 1);
                o.varint(category[j] + 1);
                double a = amount[j];
                if (Double.isNaN(a)) {
                    o.byte1(0);
                } else {
                    o.byte1(1);
                    o.int64(Double.doubleToRawLongBits(a));
                }
            }
        }
        return o.toArray();
    }

    /** Decodes a stored block; a damaged block gives a {@link StoreException} naming it. */
    static EventBlock decode(long firstEventId, byte[] data, String where) {
        try {
            In in = new In(data);
            Users head = readHead(in, data.length, where);
            String[] ids = head.ids();
            int[] start = head.start();
            int users = ids.length;
            int n = start[users];
            String[] actions = in.strings();
            String[] items = in.strings();
            String[] cats = in.strings();
            long[] ts = new long[n];
            int[] act = new int[n];
            int[] item = new int[n];
            int[] cat = new int[n];
            double[] amt = new double[n];
            for (int u = 0; u < users; u++) {
                long prev = 0;
                for (int k = start[u]; k < start[u + 1]; k++) {
                    long z = in.varlong();
                    prev += (z >>> 1) ^ -(z & 1);
                    ts[k] = prev;
                    act[k] = checkCode(in.varint(), actions.length, where);
                    item[k] = checkCode(in.varint() - 1, items.length, where);
                    cat[k] = checkCode(in.varint() - 1, cats.length, where);
                    int flag = in.byte1();
                    amt[k] = flag == 0 ? Double.NaN : Double.longBitsToDouble(in.int64());
                }
            }
            return new EventBlock(firstEventId, ids, start, ts, act, item, cat, amt, actions, items, cats);
        } catch (ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new StoreException(where + ": damaged event block (truncated)", e);
        }
    }

    /** The users of a stored block and where their events start, without decoding the events. */
    public record Users(String[] ids, int[] start) {
    }

    static Users decodeUsers(byte[] data, String where) {
        try {
            return readHead(new In(data), data.length, where);
        } catch (ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new StoreException(where + ": damaged event block (truncated)", e);
        }
    }

    /** Reads the magic, the counts and the user table: everything before the string tables. */
    private static Users readHead(In in, int length, String where) {
        if (in.int32() != MAGIC) {
            throw new StoreException(where + ": not an event block (bad magic)");
        }
        int users = in.varint();
        int n = in.varint();
        if (users < 0 || n < 0 || users > n && n > 0 || n > length) {
            throw new StoreException(where + ": damaged event block (counts " + users + "/" + n + ")");
        }
        String[] ids = new String[users];
        int[] start = new int[users + 1];
        for (int u = 0; u < users; u++) {
            ids[u] = in.string();
            start[u + 1] = start[u] + in.varint();
        }
        if (start[users] != n) {
            throw new StoreException(where + ": damaged event block (user counts do not add up)");
        }
        return new Users(ids, start);
    }

    private static int checkCode(int code, int size, String where) {
        if (code < -1 || code >= size) {
            throw new StoreException(where + ": damaged event block (code " + code + " outside its table)");
        }
        return code;
    }

    /** Growable little-endian output buffer with varints. */
    static final class Out {
        private byte[] b;
        private int n;

        Out(int capacity) {
            b = new byte[Math.max(16, capacity)];
        }

        private void ensure(int more) {
            if (n + more > b.length) {
                b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
            }
        }

        void byte1(int v) {
            ensure(1);
            b[n++] = (byte) v;
        }

        void int32(int v) {
            ensure(4);
            for (int i = 0; i < 4; i++) {
                b[n++] = (byte) (v >>> (8 * i));
            }
        }

        void int64(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                b[n++] = (byte) (v >>> (8 * i));
            }
        }

        void float32(float f) {
            int32(Float.floatToRawIntBits(f));
        }

        void varint(int v) {
            varlong(v & 0xFFFFFFFFL);
        }

        void varlong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                b[n++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            b[n++] = (byte) v;
        }

        void string(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            varint(u.length);
            ensure(u.length);
            System.arraycopy(u, 0, b, n, u.length);
            n += u.length;
        }

        void strings(String[] ss) {
            varint(ss.length);
            for (String s : ss) {
                string(s);
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(b, n);
        }
    }

    /** Reader for {@link Out}; out-of-range reads throw ArrayIndexOutOfBoundsException (caller reports damage). */
    static final class In {
        private final byte[] b;
        private int p;

        In(byte[] b) {
            this.b = b;
        }

        int byte1() {
            return b[p++] & 0xFF;
        }

        int int32() {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v |= (b[p++] & 0xFF) << (8 * i);
            }
            return v;
        }

        long int64() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (b[p++] & 0xFFL) << (8 * i);
            }
            return v;
        }

        float float32() {
            return Float.intBitsToFloat(int32());
        }

        int varint() {
            long v = varlong();
            if (v > Integer.MAX_VALUE) {
                throw new ArrayIndexOutOfBoundsException("varint too large");
            }
            return (int) v;
        }

        long varlong() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte x = b[p++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
                shift += 7;
                if (shift > 63) {
                    throw new ArrayIndexOutOfBoundsException("varint too long");
                }
            }
        }

        String string() {
            int len = varint();
            if (len > b.length - p) {
                throw new ArrayIndexOutOfBoundsException("string beyond the end");
            }
            String s = new String(b, p, len, StandardCharsets.UTF_8);
            p += len;
            return s;
        }

        String[] strings() {
            int count = varint();
            if (count > b.length - p) {
                throw new ArrayIndexOutOfBoundsException("table beyond the end");
            }
            String[] out = new String[count];
            for (int i = 0; i < count; i++) {
                out[i] = string();
            }
            return out;
        }

        boolean atEnd() {
            return p == b.length;
        }
    }
}
