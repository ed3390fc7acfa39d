package dev.seqwatch.spark;

import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.ingest.Field;
import dev.seqwatch.ingest.RowChecks;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.to_json;

/**
 * Reads the events with Spark (CSV/TSV, JSON lines or Parquet), resolves the column mapping exactly as
 * {@code seqwatch import} does ({@link dev.seqwatch.ingest.ColumnMapping}) and checks every row with the
 * import's own checks ({@link RowChecks}): each row becomes either an event or a rejection with its reason.
 */
final class EventsReader {
    static final String CORRUPT = "_corrupt_record";
    /** The checked rows: an event (reason null) or a rejected row (reason, file, raw). */
    static final StructType CHECKED = new StructType(new StructField[]{
            DataTypes.createStructField("user", DataTypes.StringType, true),
            DataTypes.createStructField("ts", DataTypes.LongType, true),
            DataTypes.createStructField("seq", DataTypes.LongType, false),
            DataTypes.createStructField("action", DataTypes.StringType, true),
            DataTypes.createStructField("item", DataTypes.StringType, true),
            DataTypes.createStructField("category", DataTypes.StringType, true),
            DataTypes.createStructField("amount", DataTypes.DoubleType, true),
            DataTypes.createStructField("reason", DataTypes.StringType, true),
            DataTypes.createStructField("file", DataTypes.StringType, true),
            DataTypes.createStructField("raw", DataTypes.StringType, true)});

    private EventsReader() {
    }

    /** Reads and checks the events; fails (before any scoring) when the mapping does not fit the columns. */
    static Dataset<Row> read(SparkSession spark, JobOptions o) {
        String[] paths = o.events.toArray(new String[0]);
        Dataset<Row> df;
        boolean keys;
        List<String> header;
        switch (o.format) {
            case "csv", "tsv" -> {
                String sep = "tsv".equals(o.format) ? "\t" : ",";
                Dataset<Row> probe = spark.read().option("header", o.header).option("sep", sep).csv(paths);
                String[] names = probe.columns();
                if (names.length == 0) {
                    throw new UserFacingException(String.join(",", paths) + ": the events are empty (no columns)");
                }
                StructType schema = new StructType();
                for (String n : names) {
                    schema = schema.add(n, DataTypes.StringType, true);
                }
                schema = schema.add(CORRUPT, DataTypes.StringType, true);
                df = spark.read().option("header", o.header).option("sep", sep).option("mode", "PERMISSIVE")
                        .option("columnNameOfCorruptRecord", CORRUPT).option("enforceSchema", true)
                        .schema(schema).csv(paths);
                header = o.header ? Arrays.asList(names) : null;
                keys = false;
            }
            case "jsonl" -> {
                df = spark.read().option("primitivesAsString", true).option("mode", "PERMISSIVE")
                        .option("columnNameOfCorruptRecord", CORRUPT).json(paths);
                header = new ArrayList<>(Arrays.asList(df.columns()));
                header.remove(CORRUPT);
                keys = true;
            }
            case "parquet" -> {
                df = spark.read().parquet(paths);
                header = Arrays.asList(df.columns());
                keys = false;
            }
            default -> throw new IllegalStateException(o.format);
        }
        boolean hasCorrupt = Arrays.asList(df.columns()).contains(CORRUPT);
        int width = header != null ? header.size() : df.columns().length - (hasCorrupt ? 1 : 0);
        int[] idx;
        try {
            idx = o.mapping().resolve(header);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(String.join(",", paths) + ": " + e.getMessage(), e);
        }
        for (Field f : Field.values()) {
            if (idx[f.ordinal()] >= width) {
                throw new UserFacingException("--" + f.option() + " " + idx[f.ordinal()] + ": the events have only "
                        + width + " columns (positions 0 to " + (width - 1) + ")");
            }
        }
        RowChecks.checkTimeFormatOrFail(o.timeFormat, o.zoneId());
        // the mapped columns as text, in source order; then arrival order, file and the corrupt-record text
        List<Integer> used = new ArrayList<>();
        for (int i : idx) {
            if (i >= 0 && !used.contains(i)) {
                used.add(i);
            }
        }
        String[] all = df.columns();
        List<Column> sel = new ArrayList<>();
        for (int k = 0; k < used.size(); k++) {
            StructField f = df.schema().fields()[Arrays.asList(all).indexOf(nameAt(all, used.get(k), hasCorrupt))];
            sel.add(asText(col("`" + f.name() + "`"), f.dataType()).alias("c" + k));
        }
        sel.add(col("_metadata.file_path").alias("_file"));
        sel.add(hasCorrupt ? col(CORRUPT) : org.apache.spark.sql.functions.lit(null).cast("string").alias(CORRUPT));
        Dataset<Row> text = df.select(sel.toArray(new Column[0])).withColumn("_seq", monotonically_increasing_id());
        int[] usedArr = used.stream().mapToInt(Integer::intValue).toArray();
        Check fn = new Check(idx, header, width, usedArr, o.timeFormat, o.zoneId(), keys);
        return text.mapPartitions(fn, Encoders.row(CHECKED));
    }

    /** The source column at position {@code i} (the corrupt-record column is never a source column). */
    private static String nameAt(String[] all, int i, boolean hasCorrupt) {
        List<String> src = new ArrayList<>(Arrays.asList(all));
        if (hasCorrupt) {
            src.remove(CORRUPT);
        }
        return src.get(i);
    }

    /** A value as the import would see it: text as is, numbers as written, timestamps as ISO-8601 UTC. */
    private static Column asText(Column c, DataType t) {
        if (t instanceof TimestampType || t instanceof TimestampNTZType) {
            return date_format(c, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        }
        if (t instanceof StructType || t instanceof ArrayType || t instanceof MapType) {
            return to_json(c);
        }
        return c.cast(DataTypes.StringType);
    }

    private static final class Check implements MapPartitionsFunction<Row, Row> {
        private final int[] idx;
        private final List<String> header;
        private final int width;
        private final int[] used;
        private final String timeFormat;
        private final ZoneId zone;
        private final boolean keys;

        Check(int[] idx, List<String> header, int width, int[] used, String timeFormat, ZoneId zone, boolean keys) {
            this.idx = idx;
            this.header = header == null ? null : List.copyOf(header);
            this.width = width;
            this.used = used;
            this.timeFormat = timeFormat;
            this.zone = zone;
            this.keys = keys;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            RowChecks checks = new RowChecks(idx, header, width, timeFormat, zone, keys);
            int nUsed = used.length;
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Row r = rows.next();
                    String file = r.getString(nUsed);
                    String corrupt = r.isNullAt(nUsed + 1) ? null : r.getString(nUsed + 1);
                    long seq = r.getLong(nUsed + 2);
                    String[] fields = new String[width];
                    for (int k = 0; k < nUsed; k++) {
                        fields[used[k]] = r.isNullAt(k) ? null : r.getString(k);
                    }
                    String reason = corrupt != null
                            ? (keys ? "invalid JSON" : "malformed record (unbalanced quotes or bad characters)")
                            : checks.check(fields);
                    if (reason != null) {
                        return RowFactory.create(null, null, seq, null, null, null, null, reason, file,
                                raw(corrupt, fields));
                    }
                    double a = checks.amount();
                    return RowFactory.create(checks.user(), checks.timeMillis(), seq, checks.action(), checks.item(),
                            checks.category(), Double.isNaN(a) ? null : a, null, null, null);
                }
            };
        }

        private static String raw(String corrupt, String[] fields) {
            String s;
            if (corrupt != null) {
                s = corrupt;
            } else {
                StringBuilder sb = new StringBuilder();
                for (String f : fields) {
                    if (f != null) {
                        sb.append(sb.length() == 0 ? "" : ",").append(f);
                    }
                }
                s = sb.toString();
            }
            return s.length() > 1024 ? s.substring(0, 1024) : s;
        }
    }
}
