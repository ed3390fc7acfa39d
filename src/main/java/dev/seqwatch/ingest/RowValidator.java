package dev.seqwatch.ingest;

import java.util.List;

/**
 * Checks one record and extracts the event fields, or says why it is rejected. The reason names
 * the column (1-based, with its header name) so a person can find the cell.
 */
final class RowValidator {
    static final int MAX_ID_CHARS = 256;
    static final int MAX_ACTION_CHARS = 128;

    private final int[] idx;
    private final List<String> header;
    private final TimestampParser time;
    private int expectedColumns;
    private final boolean keys;

    String user;
    long ts;
    String action;
    String item;
    String category;
    double amount;

    /** @param keys the header holds JSON keys (messages name the key, not a column number) */
    RowValidator(int[] idx, List<String> header, TimestampParser time, boolean keys) {
        this.idx = idx;
        this.keys = keys;
        this.header = header;
        this.time = time;
        this.expectedColumns = header == null ? -1 : header.size();
    }

    /** @return null when the row is valid (fields are then set), else the rejection reason */
    String validate(RawRow r, boolean fixedColumns) {
        if (r.structuralError != null) {
            return r.structuralError;
        }
        if (fixedColumns) {
            if (expectedColumns < 0) {
                expectedColumns = r.fields.length;  // no header: the first record sets the width
            }
            if (r.fields.length != expectedColumns) {
                return "wrong column count: expected " + expectedColumns + ", found " + r.fields.length;
            }
        }
        String u = r.field(idx[Field.USER.ordinal()]);
        String reason = text(u, Field.USER, MAX_ID_CHARS, "missing user id");
        if (reason != null) {
            return reason;
        }
        String t = r.field(idx[Field.TIME.ordinal()]);
        if (t == null || t.isBlank()) {
            return "missing timestamp" + where(Field.TIME);
        }
        if (t.length() > 64) {
            return "bad timestamp (" + t.length() + " characters)" + where(Field.TIME);
        }
        // String.trim() (used when parsing) would silently drop NUL and control bytes at the ends
        reason = checkChars(t, Field.TIME, 64);
        if (reason != null) {
            return reason;
        }
        String a = r.field(idx[Field.ACTION.ordinal()]);
        reason = text(a, Field.ACTION, MAX_ACTION_CHARS, "missing action");
        if (reason != null) {
            return reason;
        }
        String it = r.field(idx[Field.ITEM.ordinal()]);
        reason = optionalText(it, Field.ITEM);
        if (reason != null) {
            return reason;
        }
        String cat = r.field(idx[Field.CATEGORY.ordinal()]);
        reason = optionalText(cat, Field.CATEGORY);
        if (reason != null) {
            return reason;
        }
        try {
            ts = time.parse(t);
        } catch (TimestampParser.BadTimestamp e) {
            return e.getMessage() + where(Field.TIME);
        }
        String am = r.field(idx[Field.AMOUNT.ordinal()]);
        amount = Double.NaN;
        if (am != null && !am.isBlank()) {
            reason = checkChars(am, Field.AMOUNT, 64);
            if (reason != null) {
                return reason;
            }
            String s = am.trim();
            try {
                amount = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return "unparsable amount '" + TimestampParser.abbreviate(s) + "'" + where(Field.AMOUNT);
            }
            if (!Double.isFinite(amount) || Math.abs(amount) > 1e15) {
                return "unparsable amount '" + TimestampParser.abbreviate(s) + "' (not a finite number)" + where(Field.AMOUNT);
            }
            if (amount < 0) {
                return "negative amount '" + TimestampParser.abbreviate(s) + "'" + where(Field.AMOUNT);
            }
        }
        user = u.trim();
        action = a.trim();
        item = it == null || it.isBlank() ? null : it.trim();
        category = cat == null || cat.isBlank() ? null : cat.trim();
        return null;
    }

    private String text(String v, Field f, int max, String missing) {
        if (v == null || v.isBlank()) {
            return missing + where(f);
        }
        return checkChars(v, f, max);
    }

    private String optionalText(String v, Field f) {
        return v == null || v.isEmpty() ? null : checkChars(v, f, MAX_ID_CHARS);
    }

    private String checkChars(String v, Field f, int max) {
        if (v.length() > max) {
            return "field too long: " + v.length() + " characters, at most " + max + where(f);
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\uFFFD') {
                if (c == 0) {
                    return "NUL byte" + where(f);
                }
                if (c == '\uFFFD') {
                    return "invalid text encoding (not UTF-8?)" + where(f);
                }
                if (c != '\t') {
                    return "control character U+" + String.format("%04X", (int) c) + where(f);
                }
            }
        }
        return null;
    }

    /** " (column 5 'timestamp')" or " (column 5)" or " (key 'ts')" */
    String where(Field f) {
        int i = idx[f.ordinal()];
        if (header == null) {
            return " (column " + (i + 1) + ")";
        }
        String name = header.get(i);
        name = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        if (keys) {
            return " (key '" + name + "')";
        }
        return " (column " + (i + 1) + " '" + name + "')";
    }
}
