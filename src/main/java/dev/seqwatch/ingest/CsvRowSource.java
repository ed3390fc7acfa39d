package dev.seqwatch.ingest;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.seqwatch.common.UserFacingException;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * CSV and TSV through FastCSV (RFC 4180 quoting, multi-line fields, line numbers).
 *
 * <p>A stray quote makes the parser read on to the next quote (or to the end of the file) as one
 * field, so the lines in between silently become part of one record. Rule: a record that spans more
 * than {@link #MAX_RECORD_LINES} physical lines, or whose quoted field is still open at the end of the
 * file and spans more than one line, is a broken quote. By default the file is refused (the message
 * names the line and column where the quote opened, where it ended and how many lines it swallowed);
 * with {@code acceptBrokenQuotes} the record is rejected as one bad row with that reason, and the
 * swallowed lines are lost knowingly. Quoted fields over a few lines (notes, addresses) still work.
 */
final class CsvRowSource implements RowSource {
    /** A record may span at most this many physical lines. */
    static final int MAX_RECORD_LINES = 20;

    private final CsvReader<CsvRecord> reader;
    private final TailReader tail;
    private final boolean acceptBrokenQuotes;
    private final Iterator<CsvRecord> it;
    private final List<String> header;
    private final String fileName;
    private CsvRecord pending;
    private final boolean empty;
    private final int firstWidth;
    private long lastLine;

    CsvRowSource(Reader in, char separator, boolean hasHeader, String fileName) throws IOException {
        this(in, separator, hasHeader, fileName, false);
    }

    CsvRowSource(Reader in, char separator, boolean hasHeader, String fileName, boolean acceptBrokenQuotes) throws IOException {
        this.fileName = fileName;
        this.acceptBrokenQuotes = acceptBrokenQuotes;
        this.tail = new TailReader(in);
        this.reader = CsvReader.builder()
                .fieldSeparator(separator)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .allowExtraCharsAfterClosingQuote(true)
                .skipEmptyLines(true)
                .ofCsvRecord(tail);
        this.it = reader.iterator();
        CsvRecord first = advance();
        empty = first == null;
        firstWidth = first == null ? -1 : first.getFieldCount();
        if (hasHeader && first != null) {
            List<String> h = new ArrayList<>(first.getFields());
            if (!h.isEmpty() && h.get(0).startsWith("\uFEFF")) {
                h.set(0, h.get(0).substring(1));
            }
            header = List.copyOf(h);
        } else {
            header = null;
            pending = first;
        }
    }

    private CsvRecord advance() {
        try {
            CsvRecord r = it.hasNext() ? it.next() : null;
            if (r != null) {
                lastLine = r.getStartingLineNumber();
            }
            return r;
        } catch (CsvParseException | java.io.UncheckedIOException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String msg = String.valueOf(cause.getMessage());
            String hint = msg.contains("fields") ? " (a record with more columns than a log can have)"
                    : " (an unterminated quote or a field over 16 MB?)";
            throw new UserFacingException(fileName + ": cannot read "
                    + (lastLine == 0 ? "the first record" : "past line " + lastLine) + ": " + msg + hint, e);
        }
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public boolean isEmpty() {
        return empty;
    }

    @Override
    public int firstRecordWidth() {
        return firstWidth;
    }

    @Override
    public boolean fixedColumns() {
        return true;
    }

    @Override
    public boolean next(RawRow row) {
        CsvRecord r = pending != null ? pending : advance();
        pending = null;
        if (r == null) {
            return false;
        }
        row.line = r.getStartingLineNumber();
        row.structuralError = brokenQuote(r);
        int n = r.getFieldCount();
        String[] f = row.fields != null && row.fields.length == n ? row.fields : new String[n];
        for (int i = 0; i < n; i++) {
            f[i] = r.getField(i);
        }
        row.fields = f;
        return true;
    }

    /**
     * Null, or why the record is a broken quote (the file is then refused unless broken quotes are
     * accepted). Reads the next record ahead when this one may have run to the end of the file.
     */
    private String brokenQuote(CsvRecord r) {
        int n = r.getFieldCount();
        long breaks = 0;
        int widest = -1;
        long widestBreaks = 0;
        long openedAt = 0;
        for (int i = 0; i < n; i++) {
            long b = lineBreaks(r.getField(i));
            if (b > widestBreaks) {
                widest = i;
                widestBreaks = b;
                openedAt = r.getStartingLineNumber() + breaks;
            }
            breaks += b;
        }
        if (widest < 0) {
            return null;
        }
        boolean toEof = false;
        if (widest == n - 1) {
            // the last field of the last record, ending exactly where the file ends: its quote never closed
            pending = advance();
            toEof = pending == null && tail.endsWith(r.getField(widest));
        }
        long lastLine = r.getStartingLineNumber() + breaks;
        String f = r.getField(widest);
        if (toEof && (f.endsWith("\n") || f.endsWith("\r"))) {
            lastLine--;  // the file's final line break is not a line of its own
        }
        if (lastLine - r.getStartingLineNumber() + 1 <= MAX_RECORD_LINES && !(toEof && lastLine > openedAt)) {
            return null;
        }
        String column = "column " + (widest + 1) + (header != null && widest < header.size()
                ? " '" + abbreviate(header.get(widest)) + "'" : "");
        String what = String.format(Locale.ROOT, "a quote opened on line %,d (%s) %s line %,d%s and swallowed %,d lines",
                openedAt, column, toEof ? "ran to" : "was closed only on", lastLine, toEof ? " (the end of the file)" : "",
                lastLine - openedAt);
        if (acceptBrokenQuotes) {
            return what;
        }
        throw new UserFacingException(fileName + ": " + what + "; nothing was imported. Fix the quote, or import with "
                + "--accept-broken-quotes to reject that record and lose those lines");
    }

    /** Physical line breaks in a field: LF, CR LF and a lone CR each count once. */
    private static long lineBreaks(String s) {
        long k = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == len || s.charAt(i + 1) != '\n'))) {
                k++;
            }
        }
        return k;
    }

    private static String abbreviate(String s) {
        String a = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return a.replaceAll("\\p{Cntrl}", "?");
    }

    /** Passes characters through and keeps the last few, to tell whether a quoted field ran to the end of the file. */
    private static final class TailReader extends FilterReader {
        private static final int KEEP = 4;
        private final char[] last = new char[KEEP];
        private int kept;

        TailReader(Reader in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                keep(new char[]{(char) c}, 0, 1);
            }
            return c;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int r = super.read(buf, off, len);
            if (r > 0) {
                keep(buf, off, r);
            }
            return r;
        }

        private void keep(char[] buf, int off, int len) {
            for (int i = Math.max(off, off + len - KEEP); i < off + len; i++) {
                if (kept == KEEP) {
                    System.arraycopy(last, 1, last, 0, KEEP - 1);
                    kept--;
                }
                last[kept++] = buf[i];
            }
        }

        /** Whether the text read so far ends with the last characters of {@code s} (as many as are kept). */
        boolean endsWith(String s) {
            int k = Math.min(kept, s.length());
            if (k == 0) {
                return false;
            }
            for (int i = 1; i <= k; i++) {
                if (last[kept - i] != s.charAt(s.length() - i)) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
