package dev.seqwatch.ingest;

import java.nio.file.Path;
import java.util.Locale;

/** Supported behaviour-log formats. */
public enum LogFormat {
    CSV, TSV, JSONL;

    public static LogFormat parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "csv" -> CSV;
            case "tsv", "tab" -> TSV;
            case "jsonl", "json", "ndjson" -> JSONL;
            default -> throw new IllegalArgumentException("unknown format '" + s + "' (use csv, tsv or jsonl)");
        };
    }

    /** Guesses from the file name, then from the first non-empty line. */
    public static LogFormat detect(Path file, String firstLine) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        if (n.endsWith(".tsv") || n.endsWith(".tab")) {
            return TSV;
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
            return JSONL;
        }
        if (firstLine != null) {
            String t = firstLine.stripLeading();
            if (t.startsWith("{")) {
                return JSONL;
            }
            if (t.indexOf('\t') >= 0 && t.indexOf(',') < 0) {
                return TSV;
            }
        }
        return CSV;
    }

    public char separator() {
        return this == TSV ? '\t' : ',';
    }
}
