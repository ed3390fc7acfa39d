package dev.seqwatch.spark;

import dev.seqwatch.common.UserFacingException;
import dev.seqwatch.ingest.ColumnMapping;
import dev.seqwatch.ingest.Field;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The options of {@code ScoreJob score}: the same column mapping options as {@code seqwatch import}. */
final class JobOptions implements Serializable {
    static final String USAGE = String.join("\n",
            "usage: spark-submit --class dev.seqwatch.spark.ScoreJob seqwatch-spark.jar score --model MODEL --events EVENTS --out OUT [options]",
            "  --model PATH          model file from seqwatch train (any Hadoop file system)",
            "  --events PATH[,PATH]  events: CSV, TSV, JSON lines (.gz allowed) or Parquet; files or folders",
            "  --out DIR             output folder: users/ and steps/ (Parquet), top-users.csv, rejected/, summary.json",
            "  --format F            csv, tsv, jsonl or parquet (default: from the file name)",
            "  --no-header           CSV/TSV without a header row: map columns by 0-based position",
            "  --user C --time C --action C --item C --category C --amount C   columns (name or position), as seqwatch import",
            "  --time-format F       epoch-s, epoch-ms, iso, auto (default) or a java.time pattern",
            "  --zone Z              time zone for timestamps without one (default UTC)",
            "  --threshold X         flag users with score >= X (default: the model's calibrated threshold)",
            "  --model-sha256 HEX    refuse the model unless its SHA-256 is HEX",
            "  --top-steps K         anomalous steps kept per user (default 5)",
            "  --top-csv N           users written to top-users.csv, most anomalous first (default 10000)",
            "  --partitions N        user partitions (default: spark.sql.shuffle.partitions)",
            "  --batch-users N       users scored per detector call in a task (default 256)",
            "  --overwrite           replace OUT if it exists");

    String model;
    List<String> events = new ArrayList<>();
    String out;
    String format;
    boolean header = true;
    final Map<Field, String> columns = new LinkedHashMap<>();
    String timeFormat;
    String zone = "UTC";
    double threshold = Double.NaN;
    String modelSha256;
    int topSteps = 5;
    int topCsv = 10_000;
    int partitions = -1;
    int batchUsers = 256;
    boolean overwrite;

    static JobOptions parse(String[] args, int from) {
        JobOptions o = new JobOptions();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--no-header" -> o.header = false;
                case "--overwrite" -> o.overwrite = true;
                default -> {
                    if (!a.startsWith("--")) {
                        throw new UserFacingException("unexpected argument '" + a + "'\n" + USAGE);
                    }
                    if (i + 1 >= args.length) {
                        throw new UserFacingException(a + " needs a value\n" + USAGE);
                    }
                    o.set(a, args[++i]);
                }
            }
        }
        if (o.model == null || o.events.isEmpty() || o.out == null) {
            throw new UserFacingException("--model, --events and --out are required\n" + USAGE);
        }
        o.format = o.format != null ? normaliseFormat(o.format) : detectFormat(o.events.get(0));
        o.zoneId(); // fails early on a bad zone
        return o;
    }

    private void set(String opt, String v) {
        switch (opt) {
            case "--model" -> model = v;
            case "--events" -> {
                for (String s : v.split(",")) {
                    if (!s.isBlank()) {
                        events.add(s.trim());
                    }
                }
            }
            case "--out" -> out = v;
            case "--format" -> format = v;
            case "--user" -> columns.put(Field.USER, v);
            case "--time" -> columns.put(Field.TIME, v);
            case "--action" -> columns.put(Field.ACTION, v);
            case "--item" -> columns.put(Field.ITEM, v);
            case "--category" -> columns.put(Field.CATEGORY, v);
            case "--amount" -> columns.put(Field.AMOUNT, v);
            case "--time-format" -> timeFormat = v;
            case "--zone" -> zone = v;
            case "--threshold" -> threshold = number(opt, v);
            case "--model-sha256" -> {
                if (!v.matches("[0-9a-fA-F]{64}")) {
                    throw new UserFacingException("--model-sha256 must be 64 hex digits, got '" + v + "'");
                }
                modelSha256 = v;
            }
            case "--top-steps" -> topSteps = count(opt, v, 0, 1000);
            case "--top-csv" -> topCsv = count(opt, v, 0, 10_000_000);
            case "--partitions" -> partitions = count(opt, v, 1, 1_000_000);
            case "--batch-users" -> batchUsers = count(opt, v, 1, 1_000_000);
            default -> throw new UserFacingException("unknown option " + opt + "\n" + USAGE);
        }
    }

    ColumnMapping mapping() {
        ColumnMapping m = ColumnMapping.auto();
        columns.forEach(m::set);
        return m;
    }

    ZoneId zoneId() {
        try {
            return "UTC".equals(zone) ? ZoneOffset.UTC : ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new UserFacingException("--zone " + zone + ": not a time zone (" + e.getMessage() + ")");
        }
    }

    private static double number(String opt, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UserFacingException(opt + " must be a number, got '" + v + "'");
        }
    }

    private static int count(String opt, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UserFacingException(opt + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
        }
    }

    static String normaliseFormat(String f) {
        String s = f.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "csv", "tsv", "parquet" -> s;
            case "jsonl", "json", "ndjson" -> "jsonl";
            default -> throw new UserFacingException("--format " + f + ": use csv, tsv, jsonl or parquet");
        };
    }

    static String detectFormat(String path) {
        String p = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        if (p.endsWith(".gz")) {
            p = p.substring(0, p.length() - 3);
        }
        if (p.endsWith(".csv")) {
            return "csv";
        }
        if (p.endsWith(".tsv") || p.endsWith(".tab")) {
            return "tsv";
        }
        if (p.endsWith(".jsonl") || p.endsWith(".ndjson") || p.endsWith(".json")) {
            return "jsonl";
        }
        if (p.endsWith(".parquet")) {
            return "parquet";
        }
        throw new UserFacingException(path + ": cannot tell the format from the name; give --format csv, tsv, jsonl or parquet");
    }
}
