package dev.seqwatch.ingest;

import java.util.List;

/** What an import did. {@code firstRejections} holds up to 20 of them for the summary. */
public record ImportResult(int importId, String source, LogFormat format, long rowsRead, long stored, long rejected,
                           long duplicates, long millis, List<Rejection> firstRejections) {

    /** A quarantined row: its line in the file and why. */
    public record Rejection(long line, String reason) {
    }

    public double eventsPerSecond() {
        return millis == 0 ? 0 : rowsRead * 1000.0 / millis;
    }

    public String summary() {
        return String.format("import #%d of %s: %,d rows read, %,d stored, %,d rejected, %,d duplicates dropped (%.1f s)",
                importId, source, rowsRead, stored, rejected, duplicates, millis / 1000.0);
    }
}
