package dev.seqwatch.ui.importer;

import dev.seqwatch.ingest.ColumnMapping;
import dev.seqwatch.ingest.TimestampParser;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a CSV/TSV file's first row is a header, judged from its first rows read as data: a header
 * holds names where the rows below hold numbers or times (user_id above 1, timestamp above 1511544070);
 * a first row that holds numbers or times where the others do is data. When no column is numeric or a
 * time, names that the importer knows (user_id, timestamp, ...) mean a header, and a first-row value
 * that recurs further down its column means data. Decided per file, never carried over from the last.
 */
public final class HeaderGuess {
    private static final TimestampParser TIME = new TimestampParser("auto", ZoneOffset.UTC);

    /** The verdict and why, in words for the dialog. */
    public record Verdict(boolean header, String reason) {
    }

    private enum Kind { EMPTY, NUMBER, TIME, TEXT }

    private HeaderGuess() {
    }

    /** @param rows the file's first rows, the first row included, read without a header */
    public static Verdict of(List<List<String>> rows) {
        if (rows.isEmpty()) {
            return new Verdict(true, "no rows to judge by");
        }
        List<String> first = rows.get(0);
        List<List<String>> rest = rows.subList(1, rows.size());
        int width = rows.stream().mapToInt(List::size).max().orElse(0);
        List<String> typedMatches = new ArrayList<>();
        for (int j = 0; j < width; j++) {
            Kind data = majority(rest, j);
            if (data != Kind.NUMBER && data != Kind.TIME) {
                continue;
            }
            String v = cell(first, j);
            Kind k = kind(v);
            if (k == Kind.TEXT) {
                return new Verdict(true, "detected: the first row has '" + shorten(v) + "' where the rows below hold "
                        + (data == Kind.NUMBER ? "numbers" : "times"));
            }
            if (k == data) {
                typedMatches.add(shorten(v));
            }
        }
        if (!typedMatches.isEmpty()) {
            return new Verdict(false, "detected: the first row is data ('" + typedMatches.get(0) + "' like the rows below)");
        }
        try {
            ColumnMapping.auto().resolve(first);
            return new Verdict(true, "detected: the first row names the columns (" + String.join(", ", first.stream()
                    .limit(4).map(HeaderGuess::shorten).toList()) + (first.size() > 4 ? ", ..." : "") + ")");
        } catch (IllegalArgumentException notNames) {
            // fall through
        }
        for (int j = 0; j < first.size(); j++) {
            String v = cell(first, j);
            if (v.isBlank()) {
                continue;
            }
            for (List<String> r : rest) {
                if (v.equals(cell(r, j))) {
                    return new Verdict(false, "detected: the first row is data ('" + shorten(v) + "' recurs in its column)");
                }
            }
        }
        return new Verdict(true, "assumed: no column tells; untick if the first row is data");
    }

    private static Kind majority(List<List<String>> rows, int col) {
        int number = 0;
        int time = 0;
        int filled = 0;
        for (List<String> r : rows) {
            Kind k = kind(cell(r, col));
            if (k == Kind.EMPTY) {
                continue;
            }
            filled++;
            number += k == Kind.NUMBER ? 1 : 0;
            time += k == Kind.TIME ? 1 : 0;
        }
        if (filled == 0) {
            return Kind.EMPTY;
        }
        // a few bad values (what rejected rows are for) do not make a number column text
        if (number >= 0.8 * filled) {
            return Kind.NUMBER;
        }
        if (time >= 0.8 * filled) {
            return Kind.TIME;
        }
        return Kind.TEXT;
    }

    private static Kind kind(String v) {
        String t = v.strip();
        if (t.isEmpty()) {
            return Kind.EMPTY;
        }
        try {
            if (Double.isFinite(Double.parseDouble(t))) {
                return Kind.NUMBER;
            }
        } catch (NumberFormatException notANumber) {
            // next
        }
        try {
            TIME.parse(t);
            return Kind.TIME;
        } catch (TimestampParser.BadTimestamp | RuntimeException notATime) {
            return Kind.TEXT;
        }
    }

    private static String cell(List<String> r, int j) {
        return j < r.size() && r.get(j) != null ? r.get(j) : "";
    }

    private static String shorten(String s) {
        String t = s.strip().replaceAll("\\p{Cntrl}", "?");
        return t.length() > 24 ? t.substring(0, 24) + "\u2026" : t;
    }
}
