package dev.seqwatch.ingest;

import java.time.ZoneId;
import java.util.List;

/**
 * The import's own row checks ({@link RowValidator}, {@link TimestampParser}) for rows that Spark read:
 * a row is accepted or rejected for exactly the reasons {@code seqwatch import} would give.
 * One instance per task (not thread-safe).
 */
public final class RowChecks {
    private final RowValidator validator;
    private final RawRow raw = new RawRow();
    private final int width;

    /**
     * @param idx    source column of each {@link Field} (-1 absent), as {@link ColumnMapping#resolve} gives it
     * @param header column names (null for a file without a header)
     * @param keys   the names are JSON keys (messages say "key 'ts'")
     */
    public RowChecks(int[] idx, List<String> header, int width, String timeFormat, ZoneId zone, boolean keys) {
        this.validator = new RowValidator(idx.clone(), header, new TimestampParser(timeFormat, zone), keys);
        this.width = width;
    }

    /** Checks a time format and zone before any task starts; the message says what is wrong. */
    public static void checkTimeFormatOrFail(String timeFormat, ZoneId zone) {
        try {
            new TimestampParser(timeFormat, zone);
        } catch (IllegalArgumentException e) {
            throw new dev.seqwatch.common.UserFacingException(e.getMessage(), e);
        }
    }

    /**
     * @param fields the row's values by source column ({@code width} long; null = absent)
     * @return null when the row is valid (then read {@link #user()} etc.), else the rejection reason
     */
    public String check(String[] fields) {
        if (fields.length != width) {
            throw new IllegalArgumentException("expected " + width + " fields, got " + fields.length);
        }
        raw.fields = fields;
        raw.structuralError = null;
        return validator.validate(raw, false);
    }

    public String user() {
        return validator.user;
    }

    public long timeMillis() {
        return validator.ts;
    }

    public String action() {
        return validator.action;
    }

    public String item() {
        return validator.item;
    }

    public String category() {
        return validator.category;
    }

    public double amount() {
        return validator.amount;
    }
}
