package dev.seqwatch.ingest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * How to read a log. {@code format} null = detect; {@code timeFormat} null = auto;
 * {@code pseudonymKey} non-null = replace user ids by a keyed hash (HMAC-SHA256) before storing,
 * so the workspace never holds raw ids (the key is never stored); rejection reasons then quote no values.
 * {@code acceptBrokenQuotes}: a CSV/TSV record whose quote swallows following lines (see
 * {@link CsvRowSource#MAX_RECORD_LINES}) is rejected as one bad row instead of refusing the file.
 */
public record ImportOptions(LogFormat format, boolean header, ColumnMapping mapping, String timeFormat, ZoneId zone,
                            boolean force, Charset charset, byte[] pseudonymKey, boolean acceptBrokenQuotes) {

    public ImportOptions(LogFormat format, boolean header, ColumnMapping mapping, String timeFormat, ZoneId zone,
                         boolean force, Charset charset, byte[] pseudonymKey) {
        this(format, header, mapping, timeFormat, zone, force, charset, pseudonymKey, false);
    }

    public static ImportOptions defaults() {
        return new ImportOptions(null, true, ColumnMapping.auto(), null, ZoneOffset.UTC, false, StandardCharsets.UTF_8, null);
    }

    public ImportOptions withFormat(LogFormat f) {
        return new ImportOptions(f, header, mapping, timeFormat, zone, force, charset, pseudonymKey, acceptBrokenQuotes);
    }

    public ImportOptions withHeader(boolean h) {
        return new ImportOptions(format, h, mapping, timeFormat, zone, force, charset, pseudonymKey, acceptBrokenQuotes);
    }

    public ImportOptions withMapping(ColumnMapping m) {
        return new ImportOptions(format, header, m, timeFormat, zone, force, charset, pseudonymKey, acceptBrokenQuotes);
    }

    public ImportOptions withTimeFormat(String t) {
        return new ImportOptions(format, header, mapping, t, zone, force, charset, pseudonymKey, acceptBrokenQuotes);
    }

    public ImportOptions withForce(boolean f) {
        return new ImportOptions(format, header, mapping, timeFormat, zone, f, charset, pseudonymKey, acceptBrokenQuotes);
    }

    public ImportOptions withZone(ZoneId z) {
        return new ImportOptions(format, header, mapping, timeFormat, z, force, charset, pseudonymKey, acceptBrokenQuotes);
    }

    /** The encoding of files without a byte-order mark (a mark always wins). */
    public ImportOptions withCharset(Charset c) {
        return new ImportOptions(format, header, mapping, timeFormat, zone, force, c, pseudonymKey, acceptBrokenQuotes);
    }

    public ImportOptions withPseudonymKey(byte[] key) {
        return new ImportOptions(format, header, mapping, timeFormat, zone, force, charset, key, acceptBrokenQuotes);
    }

    /** Import a CSV/TSV file even if a stray quote swallowed lines: that record is rejected, the lines are lost. */
    public ImportOptions withAcceptBrokenQuotes(boolean a) {
        return new ImportOptions(format, header, mapping, timeFormat, zone, force, charset, pseudonymKey, a);
    }
}
