package dev.seqwatch.ingest;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.seqwatch.common.UserFacingException;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** CSV and TSV through FastCSV (RFC 4180 quoting, multi-line fields, line numbers). */
final class CsvRowSource implements RowSource {
    private final CsvReader<CsvRecord> reader;
    private final Iterator<CsvRecord> it;
    private final List<String> header;
    private final String fileName;
    private CsvRecord pending;
    private final boolean empty;
    private final int firstWidth;
    private long lastLine;

    CsvRowSource(Reader in, char separator, boolean hasHeader, String fileName) throws IOException {
        this.fileName = fileName;
        this.reader = CsvReader.builder()
                .fieldSeparator(separator)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .allowExtraCharsAfterClosingQuote(true)
                .skipEmptyLines(true)
                .ofCsvRecord(in);
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
        row.structuralError = null;
        int n = r.getFieldCount();
        String[] f = row.fields != null && row.fields.length == n ? row.fields : new String[n];
        for (int i = 0; i < n; i++) {
            f[i] = r.getField(i);
        }
        row.fields = f;
        return true;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
