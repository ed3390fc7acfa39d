package dev.seqwatch.export;

import de.siegmar.fastcsv.writer.CsvWriter;
import dev.seqwatch.common.OutputFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one writer of every CSV Seqwatch writes for people to open (flagged users, the label history,
 * {@code seqwatch score --out}): FastCSV for quoting, every cell neutralised against formula
 * injection ({@link #cell}), and the file written through {@link OutputFiles} (temporary file, then
 * moved into place; never over the workspace or an input).
 * <p>
 * Not used for the event logs {@code seqwatch generate} writes: those are data files meant to be
 * imported again, where an added apostrophe would change the ids, and their values come from the
 * generator's own catalogue (ids like {@code u000042}, fixed action names), never from outside.
 */
public final class SafeCsv implements AutoCloseable {
    /** A plain decimal number, e.g. {@code -0.25} or {@code -1.5e-3}: starts with '-' but is no formula. */
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private final CsvWriter csv;

    private SafeCsv(CsvWriter csv) {
        this.csv = csv;
    }

    /** Writes the rows of a CSV file. */
    @FunctionalInterface
    public interface Rows {
        void write(SafeCsv csv) throws IOException;
    }

    /** Writes {@code out} atomically (see {@link OutputFiles#write}). */
    public static void write(Path out, Rows rows) {
        OutputFiles.write(out, os -> writeTo(os, rows));
    }

    /**
     * Writes {@code out} to its temporary file only; the caller commits it (e.g. after the workspace
     * transaction it belongs to) or closes it to discard it.
     */
    public static OutputFiles.Staged stage(Path out, Rows rows) {
        return OutputFiles.stage(out, os -> writeTo(os, rows));
    }

    private static void writeTo(java.io.OutputStream os, Rows rows) throws IOException {
        try (SafeCsv w = new SafeCsv(CsvWriter.builder().build(
                new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16)))) {
            rows.write(w);
        }
    }

    /** One record; every cell goes through {@link #cell}. */
    public void row(String... cells) {
        List<String> l = new ArrayList<>(cells.length);
        for (String c : cells) {
            l.add(cell(c));
        }
        csv.writeRecord(l);
    }

    /** One record; every cell goes through {@link #cell}. */
    public void row(List<String> cells) {
        List<String> l = new ArrayList<>(cells.size());
        for (String c : cells) {
            l.add(cell(c));
        }
        csv.writeRecord(l);
    }

    /**
     * A cell as written: null is empty; a value that starts with {@code = + - @}, a tab or a carriage
     * return gets a leading apostrophe, so spreadsheet programs show it as text instead of running it
     * as a formula (OWASP "CSV injection"), unless it is a plain number such as {@code -0.25};
     * everything else is written as it is.
     */
    public static String cell(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        char c = s.charAt(0);
        boolean risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
        return risky && !NUMBER.matcher(s).matches() ? "'" + s : s;
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
