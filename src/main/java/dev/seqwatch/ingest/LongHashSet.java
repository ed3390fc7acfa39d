package dev.seqwatch.ingest;

/**
 * Open-addressing set of longs (no boxing: 10M keys take ~256 MB as boxed Longs, ~128 MB here).
 * Written by hand because it is 40 lines and the alternatives (fastutil, Eclipse Collections) are
 * 10-20 MB dependencies for this one use. 0 is stored out of band.
 */
final class LongHashSet {
    private long[] table = new long[1 << 16];
    private int size;
    private boolean hasZero;

    /** @return true when {@code key} was not present */
    boolean add(long key) {
        if (key == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if ((size + 1) * 2L > table.length) {
            grow();
        }
        int mask = table.length - 1;
        int i = (int) mix(key) & mask;
        while (table[i] != 0) {
            if (table[i] == key) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = key;
        size++;
        return true;
    }

    int size() {
        return size + (hasZero ? 1 : 0);
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        int mask = table.length - 1;
        for (long k : old) {
            if (k != 0) {
                int i = (int) mix(k) & mask;
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = k;
            }
        }
    }

    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** 64-bit hash of an event's identity (user, time, action, item) for duplicate detection. */
    static long eventKey(String user, long ts, String action, String item) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, user);
        h = mix(h ^ ts);
        h = fnv(h, action);
        h = fnv(h, item == null ? "" : item);
        return mix(h);
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return (h ^ 0x1f) * 0x100000001b3L; // field separator, so ("ab","c") != ("a","bc")
    }
}
