package dev.seqwatch.ingest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * How to read a log. {@code format} null = detect; {@code timeFormat} null = auto;
 * {@code pseudonymKey} non-null = replace user ids by a keyed hash (HMAC-SHA256) before storing,
 * so the workspace never holds raw ids (the key is never stored).
 */
public record ImportOptions(LogFormat format, boolean header, ColumnMapping mapping, String timeFormat, ZoneId zone,
                            boolean force, Charset charset, byte[] pseudonymKey) {

    public static ImportOptions defaults() {
        return new ImportOptions(null, true, ColumnMapping.auto(), null, ZoneOffset.UTC, false, StandardCharsets.UTF_8, null);
    }

    public ImportOptions withFormat(LogFormat f) {
        return new ImportOptions(f, header, mapping, timeFormat, zone, force, charset, pseudonymKey);
    }

    public ImportOptions withHeader(boolean h) {
        return new ImportOptions(format, h, mapping, timeFormat, zone, force, charset, pseudonymKey);
    }

    public ImportOptions withMapping(ColumnMapping m) {
        return new ImportOptions(format, header, m, timeFormat, zone, force, charset, pseudonymKey);
    }

    public ImportOptions withTimeFormat(String t) {
        return new ImportOptions(format, header, mapping, t, zone, force, charset, pseudonymKey);
    }

    public ImportOptions withForce(boolean f) {
        return new ImportOptions(format, header, mapping, timeFormat, zone, f, charset, pseudonymKey);
    }

    public ImportOptions withZone(ZoneId z) {
        return new ImportOptions(format, header, mapping, timeFormat, z, force, charset, pseudonymKey);
    }

    /** The encoding of files without a byte-order mark (a mark always wins). */
    public ImportOptions withCharset(Charset c) {
        return new ImportOptions(format, header, mapping, timeFormat, zone, force, c, pseudonymKey);
    }

    public ImportOptions withPseudonymKey(byte[] key) {
        return new ImportOptions(format, header, mapping, timeFormat, zone, force, charset, key);
    }
}
