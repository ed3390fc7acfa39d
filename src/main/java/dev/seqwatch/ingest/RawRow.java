package dev.seqwatch.ingest;

/** One record as read from a log, before validation. Reused between rows to spare allocation. */
final class RawRow {
    long line;
    /** All fields of the record (CSV/TSV) or the header-aligned values (JSON lines; null = key absent). */
    String[] fields;
    /** Set when the record could not be read as a record at all (invalid JSON, line too long). */
    String structuralError;

    String field(int i) {
        return i < 0 || i >= fields.length ? null : fields[i];
    }

    /** The record as text for the quarantine table (bounded). */
    String raw(char separator) {
        if (fields == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.length && sb.length() < 2048; i++) {
            if (i > 0) {
                sb.append(separator);
            }
            sb.append(fields[i] == null ? "" : fields[i]);
        }
        String s = sb.toString().replace('\0', '\uFFFD');
        return s.length() > 2048 ? s.substring(0, 2048) : s;
    }
}
