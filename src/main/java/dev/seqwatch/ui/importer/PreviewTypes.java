package dev.seqwatch.ui.importer;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.io.ColumnTypeDetector;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Column types of the preview rows, inferred by Tablesaw's type detector (the same rules Tablesaw
 * uses to read a CSV), so the analyst sees at a glance which column holds numbers, times or text.
 * Only the preview rows are typed: Tablesaw builds a whole table in memory, so the import itself streams
 * rows instead ({@code CsvRowSource} on FastCSV, {@code JsonLinesRowSource} on Jackson).
 */
final class PreviewTypes {
    private static final List<ColumnType> DETECTED = List.of(ColumnType.LONG, ColumnType.DOUBLE, ColumnType.BOOLEAN,
            ColumnType.LOCAL_DATE, ColumnType.LOCAL_DATE_TIME, ColumnType.INSTANT, ColumnType.STRING);

    private PreviewTypes() {
    }

    /** One readable type name per column ("integer", "decimal", "date-time", "text", ...). */
    static String[] infer(List<List<String>> rows, int width) {
        if (rows.isEmpty() || width == 0) {
            String[] none = new String[width];
            java.util.Arrays.fill(none, "text");
            return none;
        }
        List<String[]> padded = new ArrayList<>();
        for (List<String> r : rows) {
            String[] a = new String[width];
            for (int i = 0; i < width; i++) {
                a[i] = i < r.size() && r.get(i) != null ? r.get(i) : "";
            }
            padded.add(a);
        }
        CsvReadOptions o = CsvReadOptions.builder(new StringReader("")).locale(Locale.ROOT)
                .columnTypesToDetect(DETECTED).build();
        ColumnType[] types = new ColumnTypeDetector(DETECTED).detectColumnTypes(padded.iterator(), o);
        String[] out = new String[width];
        for (int i = 0; i < width; i++) {
            int col = i;
            boolean blank = padded.stream().allMatch(a -> a[col].isBlank());
            out[i] = blank ? "empty here" : i < types.length ? readable(types[i]) : "text";
        }
        return out;
    }

    private static String readable(ColumnType t) {
        if (t == ColumnType.LONG || t == ColumnType.INTEGER || t == ColumnType.SHORT) {
            return "integer";
        }
        if (t == ColumnType.DOUBLE || t == ColumnType.FLOAT) {
            return "decimal";
        }
        if (t == ColumnType.LOCAL_DATE_TIME || t == ColumnType.INSTANT) {
            return "date-time";
        }
        if (t == ColumnType.LOCAL_DATE) {
            return "date";
        }
        if (t == ColumnType.BOOLEAN) {
            return "yes/no";
        }
        return "text";
    }
}
