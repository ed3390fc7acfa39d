package dev.seqwatch.common;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * Dense codes 0, 1, 2, ... for strings in order of first appearance (a dictionary for column-wise
 * storage). Open addressing over parallel arrays (hash, key, code) instead of a
 * {@code HashMap<String, Integer>}: no boxing and no node objects, so a lookup touches two arrays and
 * the key's own bytes. The import's writer thread codes four columns of every event with it.
 */
public final class StringCodes {
    private int[] hashes;
    private String[] keys;
    private int[] codes;
    private String[] names;
    private int size;

    public StringCodes() {
        this(16);
    }

    public StringCodes(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        hashes = new int[cap];
        keys = new String[cap];
        codes = new int[cap];
        names = new String[Math.max(16, expected)];
    }

    private static int spread(int h) {
        return h ^ (h >>> 16) ^ (h >>> 7);
    }

    /** The code of {@code s}, giving it the next free code when it is new. */
    public int code(String s) {
        int h = s.hashCode();
        int mask = keys.length - 1;
        int i = spread(h) & mask;
        while (true) {
            String k = keys[i];
            if (k == null) {
                break;
            }
            if (hashes[i] == h && k.equals(s)) {
                return codes[i];
            }
            i = (i + 1) & mask;
        }
        int c = size;
        if (c == names.length) {
            names = Arrays.copyOf(names, c + (c >> 1) + 16);
        }
        names[c] = s;
        size++;
        hashes[i] = h;
        keys[i] = s;
        codes[i] = c;
        if (size * 2 > keys.length) {
            rehash(keys.length * 2);
        }
        return c;
    }

    /** The code of {@code s}, or -1 when it has none (nothing is added). */
    public int find(String s) {
        int h = s.hashCode();
        int mask = keys.length - 1;
        for (int i = spread(h) & mask; keys[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && keys[i].equals(s)) {
                return codes[i];
            }
        }
        return -1;
    }

    private void rehash(int cap) {
        int[] oh = hashes;
        String[] ok = keys;
        int[] oc = codes;
        hashes = new int[cap];
        keys = new String[cap];
        codes = new int[cap];
        int mask = cap - 1;
        for (int j = 0; j < ok.length; j++) {
            if (ok[j] != null) {
                int i = spread(oh[j]) & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                hashes[i] = oh[j];
                keys[i] = ok[j];
                codes[i] = oc[j];
            }
        }
    }

    public int size() {
        return size;
    }

    /** The string of code {@code c}. */
    public String name(int c) {
        if (c < 0 || c >= size) {
            throw new IndexOutOfBoundsException("code " + c + " of " + size);
        }
        return names[c];
    }

    /** The strings in code order (a live read-only view). */
    public List<String> names() {
        return new AbstractList<>() {
            @Override
            public String get(int index) {
                return name(index);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** The strings in code order, as a new array. */
    public String[] toArray() {
        return Arrays.copyOf(names, size);
    }

    /** Forgets every string (keeps the capacity). */
    public void clear() {
        Arrays.fill(keys, null);
        Arrays.fill(names, 0, size, null);
        size = 0;
    }
}
