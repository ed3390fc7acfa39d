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
    private final boolean quoteValues;

    String user;
    long ts;
    String action;
    String item;
    String category;
    double amount;

    /** @param keys the header holds JSON keys (messages name the key, not a column number) */
    RowValidator(int[] idx, List<String> header, TimestampParser time, boolean keys) {
        this(idx, header, time, keys, true);
    }

    /**
     * @param quoteValues false = reasons never quote a value of the row (pseudonymised imports: a reason is
     *                    stored and the value could be, or hold, a raw id)
     */
    RowValidator(int[] idx, List<String> header, TimestampParser time, boolean keys, boolean quoteValues) {
        this.quoteValues = quoteValues;
        this.idx = idx;
        this.keys = keys;
        this.header = header;
        this.time = time;
        this.expectedColumns = header == null ? -1 : header.size();
    }

    /** The row's user cell as validation would read it (trimmed), or null when it has none. */
    String userCell(RawRow r) {
        if (r.fields == null) {
            return null;
        }
        String u = r.field(idx[Field.USER.ordinal()]);
        return u == null ? null : u.trim();
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
            return (quoteValues ? e.getMessage() : e.withoutValue()) + where(Field.TIME);
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
                return "unparsable amount" + quoted(s) + where(Field.AMOUNT);
            }
            if (!Double.isFinite(amount) || Math.abs(amount) > 1e15) {
                return "unparsable amount" + quoted(s) + " (not a finite number)" + where(Field.AMOUNT);
            }
            if (amount < 0) {
                return "negative amount" + quoted(s) + where(Field.AMOUNT);
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

    /** " 'value'" when values may be quoted, else "". */
    private String quoted(String s) {
        return quoteValues ? " '" + TimestampParser.abbreviate(s) + "'" : "";
    }

    private String checkChars(String v, Field f, int max) {
        if (v.length() > max) {
            return "field too long: " + v.length() + " characters, at most " + max + where(f);
        }
        String bad = badCharacter(v);
        return bad == null ? null : bad + where(f);
    }

    /**
     * Null, or what is wrong with a character of an id-like text: NUL, a control character (tab is
     * allowed), a byte that was not valid in the file's encoding (U+FFFD), or an invisible or format
     * character that would make a look-alike of another id: Unicode categories Cf (byte-order mark
     * U+FEFF, zero-width space U+200B, joiners U+200C/D, word joiner U+2060, bidi controls, soft hyphen),
     * Cs (a lone surrogate), Zl and Zp (line and paragraph separators). Names the character as U+XXXX,
     * never the text around it.
     */
    static String badCharacter(String v) {
        for (int i = 0, n = v.length(); i < n; i++) {
            char c = v.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                continue;
            }
            if (c == 0) {
                return "NUL byte";
            }
            if (c == '\t') {
                continue;
            }
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                return "control character " + codePoint(c);
            }
            if (c == '\uFFFD') {
                return "invalid text encoding (not UTF-8?)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(v.charAt(i + 1))) {
                int cp = v.codePointAt(i);
                i++;
                if (Character.getType(cp) == Character.FORMAT) {
                    return "invisible character " + codePoint(cp);
                }
                continue;
            }
            switch (Character.getType(c)) {
                case Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR ->
                        { return "invisible character " + codePoint(c); }
                case Character.SURROGATE -> { return "broken character " + codePoint(c) + " (a lone surrogate)"; }
                default -> { }
            }
        }
        return null;
    }

    private static String codePoint(int c) {
        return String.format("U+%04X", c);
    }

    /** " (column 5 'timestamp')" or " (column 5)" or " (key 'ts')" */
    String where(Field f) {
        int i = idx[f.ordinal()];
        if (header == null) {
            return " (column " + (i + 1) + ")";
        }
        String name = header.get(i);
        if (name == null) {   // a header cell that must not be quoted (see EventImporter: mapped by position when pseudonymising)
            return " (column " + (i + 1) + ")";
        }
        name = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        if (keys) {
            return " (key '" + name + "')";
        }
        return " (column " + (i + 1) + " '" + name + "')";
    }
}
